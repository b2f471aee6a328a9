/**
 * Each output format has the largest size its encoder can make within a request's memory
 * (src/codecs/output-limits.ts): a larger one is refused from the plan, before decoding, naming the format.
 */
import { beforeAll, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { decodeResponse, fixtureBytes, get, json, newTenant, putOriginal } from '../helpers';

let tenant: string;

beforeAll(async () => {
  tenant = await newTenant();
  await putOriginal(tenant, 'p.jpg', await fixtureBytes(fixtures.photo1000x800.path));
});

it.each([
  ['f-avif,w-2000', 'AVIF', '2 MP'],
  ['f-webp,w-4000', 'WebP', '8 MP'],
  ['f-jpg,pr-true,w-4000', 'progressive JPEG', '12 MP'],
])('%s → 422 naming the format whose limit applies', async (tr, name, limit) => {
  const res = await get(`/${tenant}/tr:${tr}/p.jpg`);
  expect(res.status).toBe(422);
  const body = await json(res);
  expect(body.message).toContain(`${name} output is limited to ${limit}`);
  expect(body.help).toContain('another format');
});

it('the same size in a format whose limit allows it is made', async () => {
  const res = await get(`/${tenant}/tr:f-jpg,w-2000/p.jpg`);
  expect(res.status).toBe(200);
  expect(await decodeResponse(res)).toMatchObject({ width: 2000, height: 1600 });
});
