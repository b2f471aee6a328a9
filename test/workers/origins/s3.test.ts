/** The S3 origin against a real S3 API (s3rver on loopback, started by test/global-setup.ts). */
import { describe, expect, it } from 'vitest';
import { regionOf, s3ObjectUrl, S3Origin, type S3OriginOptions } from '../../../src/origins/s3';
import { describeOriginConformance } from '../conformance/origin-suite';
import { devPolicy, prodPolicy, rejection, putS3, s3Credentials, servers, unique } from '../origin-servers';

function s3Origin(prefix: string, overrides: Partial<S3OriginOptions> = {}): S3Origin {
  return new S3Origin({
    id: 'o-s3',
    name: 'test bucket',
    endpoint: servers.s3,
    bucket: servers.s3Bucket,
    prefix,
    forcePathStyle: true,
    credentials: async () => s3Credentials,
    policy: devPolicy(servers.s3),
    maxBytes: 10 * 1024 * 1024,
    ...overrides,
  });
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

describeOriginConformance({
  name: 'S3-compatible (s3rver, path style, with a prefix)',
  async create() {
    const prefix = unique('conformance');
    return {
      origin: s3Origin(prefix),
      put: (path, bytes, options) => putS3(`${prefix}/${path}`, bytes, options),
    };
  },
});

describe('S3 origin', () => {
  it('reads under its prefix only', async () => {
    const prefix = unique('prefixed');
    await putS3(`${prefix}/inside.jpg`, bytesOf('in'));
    await putS3(`${unique('other')}/inside.jpg`, bytesOf('out'));
    expect(await (await s3Origin(prefix).get('inside.jpg'))!.bytes()).toEqual(bytesOf('in'));
    expect(await s3Origin(unique('empty')).get('inside.jpg')).toBeNull();
  });

  it('answers 503 when the object changes between the metadata and the body', async () => {
    const prefix = unique('changing');
    await putS3(`${prefix}/x.jpg`, bytesOf('first'));
    const original = await s3Origin(prefix).get('x.jpg');
    await putS3(`${prefix}/x.jpg`, bytesOf('second version'));
    expect((await rejection(original!.bytes())).status).toBe(503);
  });

  it('refuses a body larger than the cap with 413', async () => {
    const prefix = unique('big');
    await putS3(`${prefix}/big.bin`, new Uint8Array(5000));
    const original = await s3Origin(prefix, { maxBytes: 1000 }).get('big.bin');
    expect(original!.size).toBe(5000);
    expect((await rejection(original!.bytes())).status).toBe(413);
    const again = await s3Origin(prefix, { maxBytes: 1000 }).get('big.bin');
    expect((await rejection(again!.stream())).status).toBe(413);
  });

  it('tells wrong credentials (502 naming the S3 error) from a missing file (null)', async () => {
    const prefix = unique('creds');
    await putS3(`${prefix}/a.jpg`, bytesOf('a'));
    const wrongSecret = s3Origin(prefix, { credentials: async () => ({ accessKeyId: 'S3RVER', secretAccessKey: 'wrong-secret' }) });
    const error = await rejection(wrongSecret.get('a.jpg'));
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/SignatureDoesNotMatch/);
    expect(error.message).not.toMatch(/wrong-secret/);
    const wrongKey = s3Origin(prefix, { credentials: async () => ({ accessKeyId: 'NOSUCHKEY', secretAccessKey: 'S3RVER' }) });
    expect((await rejection(wrongKey.get('a.jpg'))).message).toMatch(/InvalidAccessKeyId/);
    expect(await s3Origin(prefix).get('not-there.jpg')).toBeNull();
  });

  it('decrypts its credentials only when it is consulted', async () => {
    let calls = 0;
    const origin = s3Origin(unique('lazy'), {
      credentials: async () => {
        calls++;
        return s3Credentials;
      },
    });
    expect(calls).toBe(0);
    await origin.get('missing.jpg');
    await origin.get('missing-too.jpg');
    expect(calls).toBe(1);
  });

  it('refuses a loopback endpoint when private origins are not allowed, before any request', async () => {
    const origin = s3Origin(unique('prod'), { policy: prodPolicy(servers.s3) });
    const error = await rejection(origin.get('a.jpg'));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/loopback/);
  });

  it('builds path-style and virtual-host URLs, encoding each key segment', () => {
    expect(s3ObjectUrl({ endpoint: 'https://s3.amazonaws.com', bucket: 'my-bucket', forcePathStyle: false }, 'a b/ü+(1).jpg')).toBe(
      'https://my-bucket.s3.amazonaws.com/a%20b/%C3%BC%2B%281%29.jpg',
    );
    expect(s3ObjectUrl({ endpoint: 'https://minio.example.com:9000/', bucket: 'my-bucket', forcePathStyle: true }, 'a/b.jpg')).toBe(
      'https://minio.example.com:9000/my-bucket/a/b.jpg',
    );
    // Dots or capitals cannot be a TLS host label: path style.
    expect(s3ObjectUrl({ endpoint: 'https://s3.amazonaws.com', bucket: 'my.bucket', forcePathStyle: false }, 'k')).toBe(
      'https://s3.amazonaws.com/my.bucket/k',
    );
  });

  it('derives the signing region from the endpoint', () => {
    expect(regionOf('https://s3.amazonaws.com')).toBe('us-east-1');
    expect(regionOf('https://s3.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(regionOf('https://s3-ap-southeast-2.amazonaws.com')).toBe('ap-southeast-2');
    expect(regionOf('https://0123abc.r2.cloudflarestorage.com')).toBe('auto');
    expect(regionOf('http://127.0.0.1:9000')).toBe('us-east-1');
  });
});
