/** Download names (contentDisposition) and conditional requests (matchesEtag). */
import { describe, expect, it } from 'vitest';
import { contentDisposition, matchesEtag } from '../../../src/delivery/headers';

/** Splits the header into its ASCII fallback and its RFC 8187 `filename*` value (decoded). */
function names(header: string): { ascii: string; utf8: string } {
  const match = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(\S+)$/.exec(header);
  expect(match, header).not.toBeNull();
  return { ascii: match![1]!, utf8: decodeURIComponent(match![2]!) };
}

describe('contentDisposition', () => {
  it('is an attachment named after the last path segment', () => {
    expect(contentDisposition('folder/sub/photo.jpg')).toBe(`attachment; filename="photo.jpg"; filename*=UTF-8''photo.jpg`);
    expect(names(contentDisposition('photo.png'))).toEqual({ ascii: 'photo.png', utf8: 'photo.png' });
  });

  it('keeps the name when the delivered format matches its extension, in any case', () => {
    expect(names(contentDisposition('a/photo.png', 'png')).utf8).toBe('photo.png');
    expect(names(contentDisposition('a/photo.PNG', 'png')).utf8).toBe('photo.PNG');
    expect(names(contentDisposition('a/photo.webp', 'webp')).utf8).toBe('photo.webp');
  });

  it('treats .jpg and .jpeg as the same format', () => {
    expect(names(contentDisposition('photo.jpeg', 'jpg')).utf8).toBe('photo.jpeg');
    expect(names(contentDisposition('photo.JPEG', 'jpg')).utf8).toBe('photo.JPEG');
    expect(names(contentDisposition('photo.jpg', 'jpg')).utf8).toBe('photo.jpg');
  });

  it('swaps the extension when the delivered format differs', () => {
    expect(names(contentDisposition('a/photo.jpg', 'webp')).utf8).toBe('photo.webp');
    expect(names(contentDisposition('a/photo.png', 'avif')).utf8).toBe('photo.avif');
    expect(names(contentDisposition('a/anim.gif', 'png')).utf8).toBe('anim.png');
    expect(names(contentDisposition('my.photo.tar.png', 'jpg')).utf8).toBe('my.photo.tar.jpg');
  });

  it('adds the extension to names without one (a leading dot is not an extension)', () => {
    expect(names(contentDisposition('a/photo', 'webp')).utf8).toBe('photo.webp');
    expect(names(contentDisposition('a/.hidden', 'png')).utf8).toBe('.hidden.png');
  });

  it('falls back to "download" for an empty name', () => {
    expect(names(contentDisposition('folder/')).utf8).toBe('download');
    expect(names(contentDisposition('folder/', 'png')).utf8).toBe('download.png');
  });

  it('encodes non-ASCII names in filename* and replaces them in the ASCII fallback', () => {
    const header = contentDisposition('photos/café 日本.jpg', 'jpg');
    expect(header).toBe(`attachment; filename="caf_ __.jpg"; filename*=UTF-8''caf%C3%A9%20%E6%97%A5%E6%9C%AC.jpg`);
    expect(names(header)).toEqual({ ascii: 'caf_ __.jpg', utf8: 'café 日本.jpg' });
  });

  it('keeps quotes and backslashes out of the quoted fallback', () => {
    const header = contentDisposition('a/say "hi"\\.png');
    expect(names(header)).toEqual({ ascii: 'say _hi__.png', utf8: 'say "hi"\\.png' });
  });

  it('writes filename* with RFC 8187 attr-chars only', () => {
    const value = contentDisposition("a/it's (1)*.png").split("filename*=UTF-8''")[1]!;
    expect(value).toMatch(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+$/);
  });
});

describe('matchesEtag', () => {
  const KEY = 'abc123';
  const request = (ifNoneMatch?: string) =>
    new Request('https://cdn.example/demo/a.jpg', { headers: ifNoneMatch === undefined ? {} : { 'If-None-Match': ifNoneMatch } });

  it('matches the exact quoted tag', () => {
    expect(matchesEtag(request('"abc123"'), KEY)).toBe(true);
  });

  it('matches a tag anywhere in a list', () => {
    expect(matchesEtag(request('"x", "abc123", "y"'), KEY)).toBe(true);
    expect(matchesEtag(request('"x","abc123"'), KEY)).toBe(true);
  });

  it('matches a weak tag (If-None-Match uses weak comparison)', () => {
    expect(matchesEtag(request('W/"abc123"'), KEY)).toBe(true);
    expect(matchesEtag(request('"x", W/"abc123"'), KEY)).toBe(true);
  });

  it('matches *', () => {
    expect(matchesEtag(request('*'), KEY)).toBe(true);
    expect(matchesEtag(request(' * '), KEY)).toBe(true);
  });

  it('does not match without the header, other tags, unquoted tags or prefixes', () => {
    expect(matchesEtag(request(), KEY)).toBe(false);
    expect(matchesEtag(request(''), KEY)).toBe(false);
    expect(matchesEtag(request('"other"'), KEY)).toBe(false);
    expect(matchesEtag(request('abc123'), KEY)).toBe(false);
    expect(matchesEtag(request('"abc1234"'), KEY)).toBe(false);
    expect(matchesEtag(request('"abc12"'), KEY)).toBe(false);
    expect(matchesEtag(request('w/"abc123"'), KEY)).toBe(false);
  });
});
