/** The sliding-window limiter itself, driven with explicit clocks. */
import { env } from 'cloudflare:test';
import { expect, it } from 'vitest';

const limiter = (name: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(name));

it('allows the limit per window, weighs the previous window, and forgets it after two', async () => {
  const stub = limiter('unit-window');
  const t0 = 1_000_000; // a window boundary for 1000 ms windows
  const decisions = [];
  for (let i = 0; i < 4; i++) decisions.push(await stub.check('client', 3, 1000, t0 + i));
  expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
  expect(decisions[3]!.resetMs).toBeGreaterThan(0);
  // Half-way into the next window the previous one still counts half: 3 × 0.5 = 1.5 used, one more fits.
  expect((await stub.check('client', 3, 1000, t0 + 1500)).allowed).toBe(true);
  expect((await stub.check('client', 3, 1000, t0 + 1501)).allowed).toBe(false);
  // Two windows later nothing is remembered.
  const later = await stub.check('client', 3, 1000, t0 + 3000);
  expect(later).toMatchObject({ allowed: true, remaining: 2 });
});

it('counts each client separately', async () => {
  const stub = limiter('unit-clients');
  expect((await stub.check('a', 1, 60_000, 0)).allowed).toBe(true);
  expect((await stub.check('a', 1, 60_000, 1)).allowed).toBe(false);
  expect((await stub.check('b', 1, 60_000, 2)).allowed).toBe(true);
});
