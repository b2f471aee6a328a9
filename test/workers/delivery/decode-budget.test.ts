/** Originals whose decode would not fit one request's share of the isolate are refused from the header, as a 422. */
import { describe, expect, it } from 'vitest';
import { isolateMemory } from '../../../src/delivery/memory-gate';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

describe('the decode memory budget', () => {
  it('answers concurrent heavy transformations, each admitted to the isolate\'s memory and giving it back', async () => {
    const tenant = await newTenant();
    await putOriginal(tenant, 'heavy.avif', await fixtureBytes(fixtures.budgetAvif10.path));
    // Each is estimated at about 93 MB: two at once would pass the isolate's 112 MB, so none may start while
    // another holds its memory (test/node/delivery/memory-gate.test.ts shows the waiting itself).
    const responses = await Promise.all([100, 200, 300].map((w) => get(`/${tenant}/tr:w-${w}/heavy.avif`)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await Promise.all(responses.map(async (r) => (await decodeResponse(r)).width))).toEqual([100, 200, 300]);
    expect(isolateMemory.used).toBe(0);
  });

  it('refuses a 6 MP AVIF from its header with a 422 that says why, and still serves it untouched', async () => {
    const tenant = await newTenant();
    const bytes = await fixtureBytes(fixtures.budgetAvifOver.path);
    await putOriginal(tenant, 'big.avif', bytes);
    const refused = await get(`/${tenant}/tr:w-400/big.avif`);
    expect(refused.status).toBe(422);
    const body = await json(refused);
    expect(body.message).toMatch(/^Decoding this 3000×2000 AVIF would take about \d+ MB; one request may use 112 MB/);
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
