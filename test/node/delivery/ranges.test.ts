/** Range, If-Range and If-Modified-Since as RFC 9110 reads them, and cutting a range out of a stream. */
import { describe, expect, it } from 'vitest';
import { sliceStream } from '../../../src/http/byte-range';
import { notModified } from '../../../src/delivery/conditional';
import { ifRangeHolds, parseRange, rangeOf } from '../../../src/delivery/ranges';

describe('parseRange', () => {
  it.each([
    ['bytes=0-99', { kind: 'part', start: 0, end: 99 }],
    ['bytes=100-', { kind: 'part', start: 100, end: 999 }],
    ['bytes=-100', { kind: 'part', start: 900, end: 999 }],
    ['bytes=-5000', { kind: 'part', start: 0, end: 999 }],
    ['bytes=990-5000', { kind: 'part', start: 990, end: 999 }],
    ['BYTES = 5-5', { kind: 'part', start: 5, end: 5 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=1000-1200', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', { kind: 'whole' }],
    ['bytes=5-1', { kind: 'whole' }],
    ['bytes=-', { kind: 'whole' }],
    ['bytes=a-b', { kind: 'whole' }],
    ['items=0-1', { kind: 'whole' }],
  ])('%s of 1000 bytes', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });

  it('nothing of an empty file can be asked for', () => {
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});

describe('If-Range and the method', () => {
  const lastModified = new Date('2026-01-02T03:04:05Z');
  const current = { etag: '"v1"', lastModified };
  it('holds for the same strong ETag or the same date only', () => {
    expect(ifRangeHolds(null, current)).toBe(true);
    expect(ifRangeHolds('"v1"', current)).toBe(true);
    expect(ifRangeHolds('W/"v1"', current)).toBe(false);
    expect(ifRangeHolds('"v2"', current)).toBe(false);
    expect(ifRangeHolds(lastModified.toUTCString(), current)).toBe(true);
    expect(ifRangeHolds(new Date(lastModified.getTime() + 1000).toUTCString(), current)).toBe(false);
    expect(ifRangeHolds('yesterday', current)).toBe(false);
  });

  it('only GET has ranges', () => {
    const request = (method: string) => new Request('http://x/', { method, headers: { Range: 'bytes=0-0' } });
    expect(rangeOf(request('GET'), 10, current)).toEqual({ kind: 'part', start: 0, end: 0 });
    expect(rangeOf(request('HEAD'), 10, current)).toEqual({ kind: 'whole' });
  });
});

describe('notModified', () => {
  const lastModified = new Date('2026-01-02T03:04:05.678Z');
  const request = (headers: Record<string, string>, method = 'GET') => new Request('http://x/', { method, headers });
  it('If-Modified-Since compares whole seconds', () => {
    expect(notModified(request({ 'If-Modified-Since': 'Fri, 02 Jan 2026 03:04:05 GMT' }), 'k', lastModified)).toBe(true);
    expect(notModified(request({ 'If-Modified-Since': 'Fri, 02 Jan 2026 03:04:04 GMT' }), 'k', lastModified)).toBe(false);
    expect(notModified(request({ 'If-Modified-Since': 'garbage' }), 'k', lastModified)).toBe(false);
    expect(notModified(request({ 'If-Modified-Since': 'Fri, 02 Jan 2026 03:04:05 GMT' }), 'k', undefined)).toBe(false);
  });

  it('If-None-Match wins over If-Modified-Since whenever present', () => {
    const since = 'Fri, 02 Jan 2099 00:00:00 GMT';
    expect(notModified(request({ 'If-None-Match': '"other"', 'If-Modified-Since': since }), 'k', lastModified)).toBe(false);
    expect(notModified(request({ 'If-None-Match': '"k"', 'If-Modified-Since': 'Fri, 02 Jan 1990 00:00:00 GMT' }), 'k', lastModified)).toBe(true);
  });

  it('applies to GET and HEAD only', () => {
    expect(notModified(request({ 'If-None-Match': '*' }, 'HEAD'), 'k', lastModified)).toBe(true);
    expect(notModified(request({ 'If-None-Match': '*' }, 'POST'), 'k', lastModified)).toBe(false);
  });
});

describe('sliceStream', () => {
  it('cuts a range across chunk boundaries and stops reading after it', async () => {
    const chunks = [new Uint8Array([0, 1, 2, 3]), new Uint8Array([4, 5, 6, 7]), new Uint8Array([8, 9])];
    let pulled = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const next = chunks[pulled++];
          if (next) controller.enqueue(next);
          else controller.close();
        },
      },
      // Nothing read ahead: every pull is one the slice asked for.
      { highWaterMark: 0 },
    );
    const sliced = new Uint8Array(await new Response(sliceStream(source, { start: 3, end: 5 })).arrayBuffer());
    expect([...sliced]).toEqual([3, 4, 5]);
    expect(pulled).toBe(2);
  });
});
