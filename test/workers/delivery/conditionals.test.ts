/** Conditional blocks through the Worker: each branch's output size, judged on the upright original, and 400s. */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

let tenant: string;

beforeAll(async () => {
  tenant = await newTenant();
  // 1800×1200, upright; and 1800×1200 stored with EXIF orientation 6, so 1200×1800 upright.
  await putOriginal(tenant, 'landscape.jpg', await fixtureBytes(fixtures.landscape0.path));
  await putOriginal(tenant, 'portrait.jpg', await fixtureBytes(fixtures.portrait6.path));
});

async function size(path: string): Promise<[number, number]> {
  const res = await get(`/${tenant}/${path}`);
  expect(res.status).toBe(200);
  const image = await decodeResponse(res);
  return [image.width, image.height];
}

describe('conditional blocks', () => {
  it('take the then branch for a landscape original and the else branch for a portrait one', async () => {
    const tr = 'tr:if-ar_gt_1,w-200,if-else,w-300,if-end';
    expect(await size(`${tr}/landscape.jpg`)).toEqual([200, 133]);
    expect(await size(`${tr}/portrait.jpg`)).toEqual([300, 450]);
  });

  it('judge h on the image where the block starts, with chained steps in a branch', async () => {
    const tr = 'tr:w-600:if-h_gt_500,rt-90,if-else,w-100:rt-180,if-end';
    expect(await size(`${tr}/landscape.jpg`)).toEqual([100, 67]);
    expect(await size(`${tr}/portrait.jpg`)).toEqual([900, 600]);
  });

  it('read the query form as the SDKs write it, and the original properties', async () => {
    const tr = encodeURIComponent('if-iw_lte_1200_and_iar_lt_1,h-90,if-end,w-0.5');
    expect(await size(`portrait.jpg?tr=${tr}`)).toEqual([30, 45]);
    expect(await size(`landscape.jpg?tr=${tr}`)).toEqual([900, 600]);
  });

  it.each([
    ['if-ar_gt_1,w-200', 'has no if-end'],
    ['w-200,if-end', 'has no if-<condition>'],
    ['if-ar_gt_1,if-w_gt_1,w-1,if-end,if-end', 'cannot be nested'],
    ['if-zz_gt_1,w-200,if-end', '"if"'],
    ['if-ar_about_1,w-200,if-end', '"if"'],
  ])('refuse %s with a 400 JSON error', async (tr, fragment) => {
    const res = await get(`/${tenant}/tr:${tr}/landscape.jpg`);
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toContain('application/json');
    const body = await json(res);
    expect(body.message).toContain(fragment);
    expect(body.help).toBeTruthy();
  });
});
