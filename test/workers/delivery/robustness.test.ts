/**
 * Hostile and random input never produces a 500: random chains of valid and invalid parameter values, built
 * from a seeded generator so a failure reproduces, must each answer 200, 400 or 422 with a proper body.
 */
import { beforeAll, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { fixtureBytes, get, newTenant, putOriginal } from '../helpers';

const VALUES: Record<string, string[]> = {
  w: ['1', '50', '0.5', 'iw_div_3', '0', 'abc', '16383'],
  h: ['1', '40', '0.25', 'ih_mul_0.5', 'N5'],
  ar: ['4-3', '1-1', '0-1', 'iar_div_2'],
  c: ['maintain_ratio', 'force', 'at_least', 'at_max', 'at_max_enlarge', 'nope'],
  cm: ['pad_resize', 'extract', 'pad_extract'],
  fo: ['center', 'top_left', 'bottom_right', 'left', 'constructor'],
  x: ['0', '10', '500'],
  y: ['0', '10', '500'],
  xc: ['100', '0'],
  bg: ['FF0000', 'red', 'FF000050', 'blurred', 'blurred_10_N40', 'zz'],
  rt: ['90', 'N45', '33.3', 'auto', '999'],
  fl: ['h', 'v', 'h_v'],
  bl: ['1', '30', '0'],
  'e-sharpen': ['', '10'],
  'e-usm': ['2-2-0.8-0.024', '1-1'],
  'e-grayscale': [''],
  'e-contrast': [''],
  r: ['5', 'max', '1_2_3_4', '0'],
  b: ['3_blue', '2_FF00FF'],
  t: ['true', '50'],
  dpr: ['2', '0.5', '7'],
  q: ['1', '50', '100'],
  f: ['webp', 'png', 'jpg', 'avif', 'orig', 'auto'],
  lo: ['true'],
  pr: ['true'],
};
const KEYS = Object.keys(VALUES);

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

let tenant: string;

beforeAll(async () => {
  tenant = await newTenant();
  await putOriginal(tenant, 'small.jpg', await fixtureBytes(fixtures.jpegBaseline.path));
  await putOriginal(tenant, 'alpha.png', await fixtureBytes(fixtures.pngAlphaGradient.path), 'image/png');
});

it('random transformation chains answer 200, 400 or 422, never 500', async () => {
  const next = random(20261129);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
  const seen = new Set<number>();
  for (let i = 0; i < 80; i++) {
    const steps: string[] = [];
    for (let s = 0, n = 1 + Math.floor(next() * 3); s < n; s++) {
      const params: string[] = [];
      for (let p = 0, m = 1 + Math.floor(next() * 4); p < m; p++) {
        const key = pick(KEYS);
        const value = pick(VALUES[key]!);
        params.push(value === '' ? key : `${key}-${value}`);
      }
      steps.push(params.join(','));
    }
    const file = next() < 0.7 ? 'small.jpg' : 'alpha.png';
    const url = `/${tenant}/tr:${steps.join(':')}/${file}`;
    const res = await get(url, { headers: { Accept: 'image/avif,image/webp,*/*' } });
    seen.add(res.status);
    expect([200, 400, 422], url).toContain(res.status);
    if (res.status === 200) {
      expect(res.headers.get('Content-Type'), url).toMatch(/^image\//);
      expect((await res.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
    } else {
      const body = (await res.json()) as { message: string };
      expect(body.message, url).toMatch(/\S/);
    }
  }
  // the generator really exercised both sides
  expect(seen.has(200)).toBe(true);
  expect(seen.has(400)).toBe(true);
});
