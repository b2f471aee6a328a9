/** readDeliveryUrl: Cloudflare's `/cdn-cgi/image/<options>/<source>` read as the untransformed source plus steps. */
import { describe, expect, it } from 'vitest';
import { readDeliveryUrl } from '../../../src/delivery/cdn-cgi';
import { HttpError } from '../../../src/http/errors';

const read = (url: string, hostTenant?: string) => readDeliveryUrl(new URL(url), hostTenant);

describe('readDeliveryUrl through Cloudflare\'s door', () => {
  it('reads the source as a delivery URL of the tenant, with the options as ImageKit steps', () => {
    expect(read('https://cdn.example/cdn-cgi/image/width=300,fit=cover,height=200/demo/a%20b/c.jpg?ik-obj-version=v1')).toEqual({
      tenantId: 'demo',
      tenantSegments: 1,
      endpointBase: 'https://cdn.example',
      path: 'a b/c.jpg',
      pathTransformation: 'w-300,h-200,f-orig',
      queryTransformation: '',
      attachment: false,
      info: false,
      cloudflare: { sourceUrl: 'https://cdn.example/demo/a%20b/c.jpg?ik-obj-version=v1', redirectOnError: false },
    });
  });

  it('on a tenant\'s own hostname the source is the file path; the signature leaves the source URL', () => {
    expect(read('https://img.acme.test/cdn-cgi/image/format=json,onerror=redirect/photos/a.jpg?ik-t=1&ik-s=ab', 'acme')).toMatchObject({
      tenantId: 'acme',
      tenantSegments: 0,
      path: 'photos/a.jpg',
      info: true,
      cloudflare: { sourceUrl: 'https://img.acme.test/photos/a.jpg', redirectOnError: true },
    });
  });

  it('leaves every other path to the ImageKit reading', () => {
    expect(read('https://cdn.example/demo/tr:w-10/a.jpg')).toMatchObject({ tenantId: 'demo', pathTransformation: 'w-10', info: false });
    expect(read('https://cdn.example/demo/a.jpg?ik-info=true')?.info).toBe(true);
  });

  it.each([
    '/cdn-cgi/image/width=10',
    '/cdn-cgi/image/width=10/',
    '/cdn-cgi/image//demo/a.jpg',
    '/cdn-cgi/image/width=10/demo/tr:w-20/a.jpg',
    '/cdn-cgi/image/width=10/demo/a.jpg?tr=w-20',
    '/cdn-cgi/image/width=10/demo/../../etc/passwd%2F..%2Fx',
    '/cdn-cgi/image/wid%ZZth=10/demo/a.jpg',
  ])('refuses %s with a 400', (path) => {
    let error: unknown;
    try {
      read(`https://cdn.example${path}`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
  });
});
