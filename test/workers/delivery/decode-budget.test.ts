/** Originals whose decode would not fit one request's share of the isolate are refused from the header, as a 422. */
import { describe, expect, it } from 'vitest';
import { isolateMemory } from '../../../src/delivery/memory-gate';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

describe('the decode memory budget', () => {
  it('answers concurrent heavy transformations, each admitted to the isolate\'s memory and giving it back', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'heavy.avif', await fixtureBytes(fixtures.budgetAvif10.path));
    // Each is admitted with its estimate (the AVIF decoder's planes and state, the frames the steps make) and
    // gives it back (test/node/delivery/memory-gate.test.ts shows the waiting when they do not all fit).
    const responses = await Promise.all([100, 200, 300].map((w) => get(`/${tenant}/tr:w-${w}/heavy.avif`)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await Promise.all(responses.map(async (r) => (await decodeResponse(r)).width))).toEqual([100, 200, 300]);
    expect(isolateMemory.used).toBe(0);
  });

  it('refuses a 48 MP AVIF from its header with a 422 that says why, and still serves it untouched', async () => {
    const tenant = await newTenant();
    // The 6 MP 4:4:4 file decodes within the budget; its ispe enlarged to 8000×6000, the planes alone would
    // take 145 MB. Only the header is read: the AV1 data is never decoded.
    const bytes = (await fixtureBytes(fixtures.budgetAvifOver.path)).slice();
    const ispe = new TextDecoder('latin1').decode(bytes).indexOf('ispe');
    const view = new DataView(bytes.buffer);
    view.setUint32(ispe + 8, 8000);
    view.setUint32(ispe + 12, 6000);
    await putOriginal(tenant, 'big.avif', bytes);
    await putOriginal(tenant, 'six.avif', await fixtureBytes(fixtures.budgetAvifOver.path));
    expect((await get(`/${tenant}/tr:w-400/six.avif`)).status).toBe(200);
    const refused = await get(`/${tenant}/tr:w-400/big.avif`);
    expect(refused.status).toBe(422);
    const body = await json(refused);
    expect(body.message).toMatch(/^Decoding this 8000×6000 AVIF would take about \d+ MB; one request may use 112 MB/);
    expect(body.help).toMatch(/orig-true/);
    const untouched = await get(`/${tenant}/tr:orig-true/big.avif`);
    expect(untouched.status).toBe(200);
    expect(new Uint8Array(await untouched.arrayBuffer())).toEqual(bytes);
  });

  it('lets a large WebP through when it decodes at a reduced scale, and refuses it at full scale', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'wide.webp', await fixtureBytes(fixtures.budgetWebpOver.path));
    const small = await get(`/${tenant}/tr:w-300/wide.webp`);
    expect(small.status).toBe(200);
    expect((await decodeResponse(small)).width).toBe(300);
    const full = await get(`/${tenant}/tr:w-4000/wide.webp`);
    expect(full.status).toBe(422);
    expect((await json(full)).message).toMatch(/^Decoding this 4000×3000 WEBP would take about 164 MB/);
  });

  it('refuses a HEIC that is one large image (not a grid) from its header, and streams a larger grid', async () => {
    const tenant = await newTenant();
    // single.heic with its ispe patched to 4000×3000: a 12 MP single HEVC image is decoded whole, over budget.
    const bytes = (await fixtureBytes(fixtures.heicSingle.path)).slice();
    const ispe = new TextDecoder('latin1').decode(bytes).indexOf('ispe');
    new DataView(bytes.buffer).setUint32(ispe + 8, 4000);
    new DataView(bytes.buffer).setUint32(ispe + 12, 3000);
    await putOriginal(tenant, 'single.heic', bytes, 'image/heic');
    const refused = await get(`/${tenant}/tr:w-400/single.heic`);
    expect(refused.status).toBe(422);
    expect((await json(refused)).message).toMatch(/^Decoding this 4000×3000 HEIC would take about \d+ MB; one request may use 112 MB/);
    // The 12 MP grid streams a row of tiles at a time: no whole-image estimate, so it is delivered.
    await putOriginal(tenant, 'grid.heic', await fixtureBytes(fixtures.heic12mp.path), 'image/heic');
    const grid = await get(`/${tenant}/tr:w-400/grid.heic`);
    expect(grid.status).toBe(200);
    expect((await decodeResponse(grid)).width).toBe(400);
  });
});
