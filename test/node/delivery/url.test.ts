/** parseDeliveryUrl: `/<tenant>[/tr:<steps>]/<path>[?tr=<steps>]`, percent-decoded and checked. */
import { describe, expect, it } from 'vitest';
import { parseDeliveryUrl, parseEndpointPath } from '../../../src/delivery/url';
import { HttpError } from '../../../src/http/errors';

const parse = (url: string) => parseDeliveryUrl(new URL(url, 'https://cdn.example'));

function expectHttpError(fn: () => unknown, status: number): HttpError {
  let error: unknown;
  try {
    fn();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(HttpError);
  expect((error as HttpError).status).toBe(status);
  return error as HttpError;
}

describe('parseDeliveryUrl', () => {
  it('reads the tenant and the file path', () => {
    expect(parse('/demo/medium_cafe.jpg')).toEqual({
      tenantId: 'demo',
      tenantSegments: 1,
      endpointBase: 'https://cdn.example/demo',
      path: 'medium_cafe.jpg',
      pathTransformation: '',
      queryTransformation: '',
      attachment: false,
      info: false,
    });
    expect(parse('/demo/a/b/c.jpg')?.path).toBe('a/b/c.jpg');
  });

  it('on a tenant\'s own hostname, reads the whole path as the file\'s, with that origin as the endpoint', () => {
    const url = new URL('https://img.acme.test/tr:w-300/photos/a.jpg');
    expect(parseDeliveryUrl(url, 'acme')).toMatchObject({
      tenantId: 'acme',
      tenantSegments: 0,
      endpointBase: 'https://img.acme.test',
      path: 'photos/a.jpg',
      pathTransformation: 'w-300',
    });
    expect(parseEndpointPath(new URL('https://img.acme.test/lib/tr:w-10/a.jpg'), 0)).toEqual({ urlPrefix: 'lib', path: 'a.jpg', pathTransformation: 'w-10' });
  });

  it('takes a tr: segment right after the tenant as the path transformation', () => {
    expect(parse('/demo/tr:w-300,h-300/medium_cafe.jpg')).toMatchObject({
      tenantId: 'demo',
      path: 'medium_cafe.jpg',
      pathTransformation: 'w-300,h-300',
    });
    expect(parse('/demo/tr:w-300:rt-90/folder/file.png')).toMatchObject({ path: 'folder/file.png', pathTransformation: 'w-300:rt-90' });
  });

  it('takes ?tr= as the query transformation, alongside the path one', () => {
    expect(parse('/demo/tr:w-300/a.jpg?tr=h-200,q-80')).toMatchObject({
      path: 'a.jpg',
      pathTransformation: 'w-300',
      queryTransformation: 'h-200,q-80',
    });
    expect(parse('/demo/a.jpg?tr=w-100%2Ch-100')?.queryTransformation).toBe('w-100,h-100');
  });

  it('treats a tr: segment further along as part of the path', () => {
    expect(parse('/demo/folder/tr:w-300/a.jpg')).toMatchObject({ path: 'folder/tr:w-300/a.jpg', pathTransformation: '' });
  });

  it('percent-decodes the path and the tr: segment, including %2C', () => {
    expect(parse('/demo/a%2Cb%20c.jpg')?.path).toBe('a,b c.jpg');
    expect(parse('/demo/tr:w-100%2Ch-200/a.jpg')?.pathTransformation).toBe('w-100,h-200');
    expect(parse('/demo/100%25.jpg')?.path).toBe('100%.jpg');
  });

  it('decodes non-ASCII paths', () => {
    expect(parse('/demo/caf%C3%A9.jpg')?.path).toBe('café.jpg');
    expect(parse('https://cdn.example/demo/日本/写真.jpg')?.path).toBe('日本/写真.jpg');
  });

  it('reads ?ik-attachment=true, and only true', () => {
    expect(parse('/demo/a.jpg?ik-attachment=true')?.attachment).toBe(true);
    expect(parse('/demo/a.jpg?tr=w-10&ik-attachment=true')).toMatchObject({ attachment: true, queryTransformation: 'w-10' });
    expect(parse('/demo/a.jpg?ik-attachment=1')?.attachment).toBe(false);
    expect(parse('/demo/a.jpg?ik-attachment=false')?.attachment).toBe(false);
  });

  it('ignores unknown query parameters', () => {
    expect(parse('/demo/a.jpg?updatedAt=123&ik-sdk-version=javascript-1.4.3')).toMatchObject({ path: 'a.jpg', queryTransformation: '' });
  });

  it('returns undefined without a tenant', () => {
    expect(parse('/')).toBeUndefined();
    expect(parse('//a.jpg')).toBeUndefined();
  });

  it.each(['/demo', '/demo/', '/demo/tr:w-100', '/demo/tr:w-100/', '/demo//'])('is a 400 without a file path: %s', (url) => {
    const error = expectHttpError(() => parse(url), 400);
    expect(error.message).toContain('file path is required');
  });

  it('is a 400 for . and .. segments', () => {
    // A WHATWG URL resolves dot segments itself, so they can only arrive through a URL-like object.
    for (const pathname of ['/demo/../secret.jpg', '/demo/a/./b.jpg', '/demo/a/..']) {
      const url = { pathname, searchParams: new URLSearchParams() } as URL;
      expect(() => parseDeliveryUrl(url)).toThrow(HttpError);
      expectHttpError(() => parseDeliveryUrl(url), 400);
    }
  });

  it('cannot be walked out of the tenant with encoded dots (the URL resolves them first)', () => {
    expectHttpError(() => parse('/demo/%2e%2e/a.jpg'), 400);
    expect(parse('/demo/a/%2E%2E/b.jpg')?.path).toBe('b.jpg');
  });

  it('is a 400 for dot segments hidden behind an encoded slash', () => {
    expectHttpError(() => parse('/demo/a/..%2F..%2Fsecret.jpg'), 400);
  });

  it('is a 400 for NUL characters', () => {
    expectHttpError(() => parse('/demo/a%00.jpg'), 400);
  });

  it.each(['/demo/%E0%A4%A', '/demo/%ZZ.jpg', '/demo/%', '/demo/tr:w-100%E0/a.jpg'])('is a 400 for malformed percent-encoding: %s', (url) => {
    const error = expectHttpError(() => parse(url), 400);
    expect(error.message).toContain('Malformed percent-encoding');
  });

  it('is a 414 for a path over 1024 characters', () => {
    expect(parse(`/demo/${'a'.repeat(1024)}`)?.path).toHaveLength(1024);
    expectHttpError(() => parse(`/demo/${'a'.repeat(1025)}`), 414);
    expectHttpError(() => parse(`/demo/${'a'.repeat(500)}/${'b'.repeat(524)}`), 414);
  });
});
