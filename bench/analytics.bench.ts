/**
 * What delivery analytics cost, in one run on loopback:
 *
 * 1. Cache hits with analytics on against the same hits with analytics off (ANALYTICS_MODE=off): two `wrangler
 *    dev` processes with the same tenant and warm variants, rounds alternated between them; throughput and
 *    p50/p99 latency, on/off as ratios (target ≥ 0.95× throughput).
 * 2. The Analytics object alone (bench/analytics/worker.ts in Miniflare's workerd): its ingest rate for batches
 *    of 1 000 events (the size an isolate sends at once); then, for a busy tenant (1M requests a day: one day of
 *    raw events, 90 days of hourly rollups with every top-N counter full), one day's hourly series from the
 *    rollups against the same query on raw rows, and 90-day series and top-N from the rollups.
 *
 * Usage: npm run bench:analytics [-- --raw N] [--json]   (N raw events for the busy day, default 1 000 000)
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { newSecrets, WranglerDev } from '../test/process/wrangler-dev';
import { median } from './measure';

const PHOTO = new URL('../test/fixtures/images/generated/photo-1000x800.jpg', import.meta.url);
const WORKER = fileURLToPath(new URL('./analytics/', import.meta.url));
const CONCURRENCY = 8;
const ROUNDS = 8;
const PER_ROUND = 500;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const rawFlag = argv.indexOf('--raw');
const RAW_EVENTS = rawFlag === -1 ? 1_000_000 : Number(argv[rawFlag + 1]);

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

/** A tenant with the photo uploaded and 10 warm variants; answers their paths and the tenant's API auth. */
async function prepare(dev: WranglerDev, adminToken: string): Promise<{ paths: string[]; auth: Record<string, string> }> {
  const admin = { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' };
  const created = (await (await fetch(`${dev.url}/admin/v1/tenants`, { method: 'POST', headers: admin, body: '{"id":"bench"}' })).json()) as { privateKey: string };
  const form = new FormData();
  form.set('file', new Blob([await readFile(PHOTO)], { type: 'image/jpeg' }), 'photo.jpg');
  form.set('fileName', 'photo.jpg');
  form.set('useUniqueFileName', 'false');
  const auth = { Authorization: `Basic ${Buffer.from(`${created.privateKey}:`).toString('base64')}` };
  if (!(await fetch(`${dev.url}/api/v1/files/upload`, { method: 'POST', headers: auth, body: form })).ok) throw new Error('upload failed');
  const paths = Array.from({ length: 10 }, (_, i) => `/bench/tr:w-${60 + i},q-50/photo.jpg`);
  for (const path of paths) for (let warm = 0; warm < 2; warm++) await (await fetch(`${dev.url}${path}`)).arrayBuffer();
  return { paths, auth };
}

/** `count` hits CONCURRENCY at a time, as a browser would send them; answers each latency (ms) and the wall time. */
async function hits(base: string, paths: string[], count: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const path = paths[next++ % paths.length];
      const t = performance.now();
      const response = await fetch(`${base}${path}`, {
        headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', Referer: 'https://shop.example/', 'CF-Connecting-IP': `198.51.100.${next % 250}` },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

async function deliveryOnOff() {
  const secrets = newSecrets();
  const states = [await mkdtemp(join(tmpdir(), 'edgepix-bench-analytics-on-')), await mkdtemp(join(tmpdir(), 'edgepix-bench-analytics-off-'))];
  const on = new WranglerDev(states[0]!, secrets);
  const off = new WranglerDev(states[1]!, secrets, { ANALYTICS_MODE: 'off' });
  try {
    await on.start();
    await off.start();
    const { paths, auth } = await prepare(on, secrets.PLATFORM_ADMIN_TOKEN);
    await prepare(off, secrets.PLATFORM_ADMIN_TOKEN);
    const sides = { on: { latencies: [] as number[], seconds: 0 }, off: { latencies: [] as number[], seconds: 0 } };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so neither always meets the other's leftover load.
      const order = round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const side of order) {
        const run = await hits((side === 'on' ? on : off).url, paths, PER_ROUND);
        sides[side].latencies.push(...run.latencies);
        sides[side].seconds += run.seconds;
      }
    }
    const summary = (side: 'on' | 'off') => ({
      requestsPerSecond: Math.round(sides[side].latencies.length / sides[side].seconds),
      p50: Number(percentile(sides[side].latencies, 0.5).toFixed(2)),
      p99: Number(percentile(sides[side].latencies, 0.99).toFixed(2)),
    });
    const [sOn, sOff] = [summary('on'), summary('off')];
    // Wait out the on side's flush (10 s) and read what it recorded: the hits were counted, not just sent.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const from = new Date(Date.now() - 2 * HOUR).toISOString();
    const series = (await (await fetch(`${on.url}/v1/accounts/analytics/timeseries?metric=requests&from=${from}`, { headers: auth })).json()) as { points: { requests: number }[] };
    const recorded = series.points.reduce((sum, p) => sum + p.requests, 0);
    return { on: sOn, off: sOff, sent: ROUNDS * PER_ROUND + 20, recorded, throughputRatio: sOn.requestsPerSecond / sOff.requestsPerSecond, p50Ratio: sOn.p50 / sOff.p50, p99Ratio: sOn.p99 / sOff.p99 };
  } finally {
    await on.kill();
    await off.kill();
    for (const state of states) await rm(state, { recursive: true, force: true });
  }
}

async function objectBench() {
  const out = await mkdtemp(join(tmpdir(), 'edgepix-bench-analytics-'));
  execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out, '--config', join(WORKER, 'wrangler.toml')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'worker.js'),
    modulesRoot: out,
    compatibilityDate: '2026-04-26',
    durableObjects: { ANALYTICS: { className: 'Analytics', useSQLite: true } },
  });
  try {
    await mf.ready;
    const call = async (path: string, init?: { method: string }) => {
      const t = performance.now();
      const response = await mf.dispatchFetch(`http://bench${path}`, init);
      const body = (await response.json()) as Record<string, unknown>;
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t, body };
    };
    const now = Date.now();
    const seed = (from: number, to: number, count: number) => call(`/seed?from=${from}&to=${to}&count=${count}&batch=1000`, { method: 'POST' });

    // The busy day: raw events and their rollups.
    const raw = await seed(now - DAY, now, RAW_EVENTS);
    const ingestPerSecond = Math.round(RAW_EVENTS / (raw.ms / 1000));
    // The 89 days before it, rollups only (past the raw retention): 600 events an hour fill every counter.
    const rollupEvents = 89 * 24 * 600;
    const rollups = await seed(now - 90 * DAY + HOUR, now - DAY, rollupEvents);

    const timed = async (path: string, runs = 7) => {
      await call(path);
      const times: number[] = [];
      let body: Record<string, unknown> = {};
      for (let i = 0; i < runs; i++) {
        const result = await call(path);
        times.push(result.ms);
        body = result.body;
      }
      return { ms: Number(median(times).toFixed(2)), body };
    };
    const noop = await timed('/noop');
    const dayRollup = await timed(`/series?from=${now - DAY}&to=${now}&source=rollup`);
    const dayRaw = await timed(`/series?from=${now - DAY}&to=${now}&source=raw`);
    if (dayRollup.body.requests !== dayRaw.body.requests) throw new Error(`rollups and raw rows disagree: ${JSON.stringify([dayRollup.body, dayRaw.body])}`);
    const ninetyRollup = await timed(`/series?from=${now - 90 * DAY}&to=${now}&source=rollup`);
    const ninetyTopPath = await timed(`/top?from=${now - 90 * DAY}&to=${now}&dimension=path`);
    const dayTopPath = await timed(`/top?from=${now - DAY}&to=${now}&dimension=path`);
    return {
      rawEvents: RAW_EVENTS,
      ingestSeconds: Number((raw.ms / 1000).toFixed(2)),
      ingestPerSecond,
      rollupOnlyEvents: rollupEvents,
      rollupOnlyPerSecond: Math.round(rollupEvents / (rollups.ms / 1000)),
      noopMs: noop.ms,
      dayFromRollupsMs: dayRollup.ms,
      dayFromRawMs: dayRaw.ms,
      rawOverRollup: Number((dayRaw.ms / dayRollup.ms).toFixed(1)),
      ninetyDaysFromRollupsMs: ninetyRollup.ms,
      ninetyDaysTopPathMs: ninetyTopPath.ms,
      dayTopPathMs: dayTopPath.ms,
    };
  } finally {
    await mf.dispose();
    await rm(out, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const delivery = await deliveryOnOff();
  if (json) console.log(JSON.stringify({ delivery }));
  else printDelivery(delivery);
  const object = await objectBench();
  if (json) console.log(JSON.stringify({ object }));
  else printObject(object);
}

function printDelivery(delivery: Awaited<ReturnType<typeof deliveryOnOff>>): void {
  console.log('cache hits       req/s    p50 ms   p99 ms');
  for (const side of ['on', 'off'] as const) {
    const s = delivery[side];
    console.log(`analytics ${side.padEnd(4)} ${String(s.requestsPerSecond).padStart(8)} ${s.p50.toFixed(2).padStart(9)} ${s.p99.toFixed(2).padStart(8)}`);
  }
  console.log(
    `on/off: throughput ${delivery.throughputRatio.toFixed(3)}× (target ≥ 0.95), p50 ${delivery.p50Ratio.toFixed(2)}×, p99 ${delivery.p99Ratio.toFixed(2)}×`,
  );
  console.log(`recorded by analytics: ${delivery.recorded} of ${delivery.sent} deliveries (warm-up included)`);
}

function printObject(object: Awaited<ReturnType<typeof objectBench>>): void {
  console.log(`\nAnalytics object: ${object.rawEvents} events in batches of 1000 in ${object.ingestSeconds} s: ${object.ingestPerSecond} events/s (raw rows + rollups)`);
  console.log(`  past the raw retention (rollups only): ${object.rollupOnlyPerSecond} events/s`);
  console.log(`queries (median of 7, HTTP round trip ${object.noopMs} ms included):`);
  console.log(`  1 day hourly series: rollups ${object.dayFromRollupsMs} ms, raw rows ${object.dayFromRawMs} ms: raw/rollups ${object.rawOverRollup}×`);
  console.log(`  90 days hourly series from rollups ${object.ninetyDaysFromRollupsMs} ms`);
  console.log(`  top 10 paths: 1 day ${object.dayTopPathMs} ms, 90 days ${object.ninetyDaysTopPathMs} ms`);
}

await main();
