/** Bad requests get the right 4xx with a JSON body naming the problem; nothing a client sends gives a 500. */
import { beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/codecs/probe';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

let tenant: string;

beforeAll(async () => {
  tenant = await newTenant();
  await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
});

async function expectJsonError(res: Response, status: number, ...fragments: string[]) {
  expect(res.status).toBe(status);
  expect(res.headers.get('Content-Type')).toContain('application/json');
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  const body = await json(res);
  expect(Object.keys(body).sort()).toEqual(['help', 'message']);
  for (const fragment of fragments) expect(body.message).toContain(fragment);
  expect(body.message).not.toMatch(/\n\s+at /);
  return body;
}

describe('bad transformations are 400 naming the parameter and what it accepts', () => {
  it.each([
    ['w-abc', '"w"'],
    ['w-0', '"w"'],
    ['w-99999', '"w"'],
    ['w-1.5', '"w"'],
    ['h-N10', '"h"'],
    ['c-stretch', '"c"'],
    ['cm-fill', '"cm"'],
    ['fo-middle', '"fo"'],
    ['q-0', '"q"'],
    ['q-101', '"q"'],
    ['f-tiff', '"f"'],
    ['rt-400', '"rt"'],
    ['fl-x', '"fl"'],
    ['bl-0', '"bl"'],
    ['bg-blurred_500', '"bg"'],
    ['bg-notacolour', '"bg"'],
    ['b-5', '"b"'],
    ['r-0', '"r"'],
    ['ar-4-0', '"ar"'],
    ['dpr-9', '"dpr"'],
    ['e-grayscale-5', '"e-grayscale"'],
    ['e-usm-1-2', '"e-usm"'],
    ['t-100', '"t"'],
    ['pr-yes', '"pr"'],
    ['di-@@..@@secret.jpg', '"di"'],
  ])('%s', async (tr, named) => {
    await expectJsonError(await get(`/${tenant}/tr:${tr}/p.jpg`), 400, named, 'Accepted:');
    await expectJsonError(await get(`/${tenant}/p.jpg?tr=${tr}`), 400, named);
  });

  it.each(['zz-1', 'ot-hello', 'oi-logo.png', 'e-upscale'])('unknown parameter %s', async (tr) => {
    await expectJsonError(await get(`/${tenant}/tr:w-100,${tr}/p.jpg`), 400, tr.split('-')[0]!, 'Accepted parameters');
  });

  it('an extract area outside the image', async () => {
    await expectJsonError(await get(`/${tenant}/tr:w-300,h-200,cm-extract,xc-990,yc-10/p.jpg`), 400, '"xc"');
  });
});

describe('routing and paths', () => {
  it('missing file → 404', async () => {
    await expectJsonError(await get(`/${tenant}/nope.jpg`), 404, 'nope.jpg');
  });
  it('unknown tenant → 404', async () => {
    await expectJsonError(await get('/no-such-tenant/p.jpg'), 404, 'no-such-tenant');
  });
  it('no path → 400', async () => {
    await expectJsonError(await get(`/${tenant}/`), 400, 'path');
  });
  it('malformed percent-encoding → 400', async () => {
    await expectJsonError(await get(`/${tenant}/bad%E0%A4%A.jpg`), 400, 'percent-encoding');
  });
  it('non-GET methods → 405 with Allow', async () => {
    const res = await get(`/${tenant}/p.jpg`, { method: 'DELETE' });
    await expectJsonError(res, 405, 'DELETE');
    expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
  });
  it('reserved first segments are not tenants', async () => {
    await expectJsonError(await get('/admin/p.jpg'), 404);
  });
});

describe('limits are enforced from the header, before decoding', () => {
  it('a 32 KB PNG declaring 16384×16384 is refused with 422', async () => {
    const bytes = await fixtureBytes(fixtures.pngBomb.path);
    expect(bytes.length).toBeLessThan(34_000);
    await putOriginal(tenant, 'bomb.png', bytes, 'image/png');
    await expectJsonError(await get(`/${tenant}/tr:w-100/bomb.png`), 422, '16384×16384', 'maxInputMegapixels');
  });

  it('refuses the bomb even when only its header exists: nothing past the header is read', async () => {
    const bytes = await fixtureBytes(fixtures.pngBomb.path);
    const idat = findAscii(bytes, 'IDAT');
    await putOriginal(tenant, 'bomb-header.png', bytes.slice(0, idat + 4), 'image/png');
    await expectJsonError(await get(`/${tenant}/tr:w-100/bomb-header.png`), 422, 'maxInputMegapixels');
  });

  it('a JPEG declaring 30000×30000 is refused with 422', async () => {
    await putOriginal(tenant, 'bomb.jpg', await fixtureBytes(fixtures.jpegBomb.path));
    await expectJsonError(await get(`/${tenant}/bomb.jpg`), 422, '30000×30000');
  });

  it('maxInputBytes → 413', async () => {
    const small = await newTenant({ limits: { maxInputBytes: 10_000 } });
    await putOriginal(small, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    await expectJsonError(await get(`/${small}/tr:w-100/p.jpg`), 413, 'maxInputBytes');
  });

  it('maxInputMegapixels is the tenant\'s own', async () => {
    const strict = await newTenant({ limits: { maxInputMegapixels: 0.5 } });
    await putOriginal(strict, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
    await expectJsonError(await get(`/${strict}/tr:w-100/p.jpg`), 422, '0.8 MP', '0.5 MP');
  });

  it('maxOutputDimension → 422, computed through the whole chain', async () => {
    await expectJsonError(await get(`/${tenant}/tr:w-9000/p.jpg`), 422, 'maxOutputDimension');
    await expectJsonError(await get(`/${tenant}/tr:w-5000,dpr-2/p.jpg`), 422, '10000');
    await expectJsonError(await get(`/${tenant}/tr:w-8000,h-100,c-force:b-200_red/p.jpg`), 422, '8400');
  });

  it('maxOutputMegapixels → 422, for any step of the chain', async () => {
    await expectJsonError(await get(`/${tenant}/tr:w-6000/p.jpg`), 422, '6000×4800', 'maxOutputMegapixels');
    await expectJsonError(await get(`/${tenant}/tr:w-6000:w-100/p.jpg`), 422, 'maxOutputMegapixels');
  });
});

describe('corrupt and unsupported originals are 422, never 500', () => {
  const corrupt = [
    'jpegTruncated',
    'xs1n0g01',
    'xs2n0g01',
    'xs4n0g01',
    'xs7n0g01',
    'xcrn0g04',
    'xlfn0g04',
    'xhdn0g08',
    'xc1n0g08',
    'xc9n2c08',
    'xd0n2c08',
    'xd3n2c08',
    'xd9n2c08',
    'xdtn0g01',
    'xcsn0g01',
  ] as const;

  it.each(corrupt)('%s', async (name) => {
    const fixture = fixtures[name];
    await putOriginal(tenant, `corrupt/${name}`, await fixtureBytes(fixture.path), `image/${fixture.format}`);
    const res = await get(`/${tenant}/tr:w-16/corrupt/${name}`);
    await expectJsonError(res, 422);
  });

  it('12-bit JPEG (not decodable by the 8-bit libjpeg build) → 422 naming the precision', async () => {
    await putOriginal(tenant, 'unsupported/jpeg12bit.jpg', await fixtureBytes(fixtures.jpeg12bit.path));
    await expectJsonError(await get(`/${tenant}/tr:w-100/unsupported/jpeg12bit.jpg`), 422, 'JPEG', '12-bit');
  });

  it.each(['jpegArithmetic', 'jpegCmyk'] as const)('%s decodes (libjpeg-turbo reads arithmetic coding and CMYK)', async (name) => {
    await putOriginal(tenant, `variants/${name}.jpg`, await fixtureBytes(fixtures[name].path));
    const res = await get(`/${tenant}/tr:w-100/variants/${name}.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/jpeg');
  });

  it('a progressive JPEG whose decode would not fit the memory budget → 422 saying so, before decoding', async () => {
    // progressive.jpg with its SOF2 claiming 7000×7000 (49 MP, under the tenant's 50 MP limit): libjpeg would
    // need a ~150 MB coefficient buffer whatever the scale.
    const bytes = (await fixtureBytes(fixtures.jpegProgressive.path)).slice();
    const sof = bytes.findIndex((b, i) => b === 0xff && bytes[i + 1] === 0xc2);
    new DataView(bytes.buffer).setUint16(sof + 5, 7000);
    new DataView(bytes.buffer).setUint16(sof + 7, 7000);
    await putOriginal(tenant, 'huge-progressive.jpg', bytes);
    await expectJsonError(await get(`/${tenant}/tr:w-100/huge-progressive.jpg`), 422, '7000×7000 progressive JPEG', 'MB of memory');
  });

  it('files that are not images are served untouched, but cannot be transformed', async () => {
    const text = new TextEncoder().encode('hello, not an image');
    await putOriginal(tenant, 'notes.txt', text, 'text/plain');
    const plain = await get(`/${tenant}/notes.txt`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('Content-Type')).toBe('text/plain');
    expect(plain.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(await plain.text()).toBe('hello, not an image');
    await expectJsonError(await get(`/${tenant}/tr:w-10/notes.txt`), 422, 'cannot be read as an image');
  });

  it('animated WebP is served as it is, and transformed frame by frame', async () => {
    const bytes = await fixtureBytes(fixtures.webpAnimated.path);
    await putOriginal(tenant, 'a.webp', bytes, 'image/webp');
    expect(new Uint8Array(await (await get(`/${tenant}/a.webp`)).arrayBuffer())).toEqual(bytes);
    const resized = await get(`/${tenant}/tr:w-10/a.webp`);
    expect(resized.status).toBe(200);
    expect(resized.headers.get('Content-Type')).toBe('image/webp');
    const info = probe(new Uint8Array(await resized.arrayBuffer()));
    expect([info.width, info.frames]).toEqual([10, 3]);
  });

  it('a GIF whose header is cut short is served as it is, and refused for transformation', async () => {
    await putOriginal(tenant, 'a.gif', (await fixtureBytes(fixtures.gifAnimated.path)).subarray(0, 12), 'image/gif');
    const plain = await get(`/${tenant}/a.gif`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('Content-Type')).toBe('image/gif');
    await expectJsonError(await get(`/${tenant}/tr:w-10/a.gif`), 422, 'cannot be read');
  });
});

function findAscii(bytes: Uint8Array, text: string): number {
  outer: for (let i = 0; i <= bytes.length - text.length; i++) {
    for (let j = 0; j < text.length; j++) if (bytes[i + j] !== text.charCodeAt(j)) continue outer;
    return i;
  }
  throw new Error(`${text} not found`);
}
