/**
 * What cache hits cost the origins and the tenant's object, and how fast they are beside a request that does
 * nothing (`/healthz`), all against one `wrangler dev` in one run.
 *
 * For each source of originals (the media library, a web folder answering `Cache-Control: max-age=3600`) and each
 * hit ratio (0 %, 90 %, 99 %), 1 000 requests are sent 8 at a time; a ratio r uses 1 000 × (1 − r) distinct
 * variants, each requested as often as needed. Counted: misses (Server-Timing `cache;desc=miss`), requests the
 * web-folder server saw, calls into MediaLibrary objects (`GET /admin/v1/isolate`; the usage meter's flush, at
 * most every USAGE_FLUSH_MS, is left out: it is not per request). Then 1 000 hits of warm variants against 1 000
 * `/healthz`, throughput as a ratio.
 *
 * Usage: npm run bench:delivery [-- --json]
 */
import { readFile } from 'node:fs/promises';
import { startWebFolderServer } from '../test/servers/web-folder';
import { startDevTenant } from './dev-tenant';

const REQUESTS = 1_000;
const CONCURRENCY = 8;
const RATIOS = [0, 0.9, 0.99];
const PHOTO = new URL('../test/fixtures/images/generated/photo-1000x800.jpg', import.meta.url);

interface Row {
  source: string;
  hitRatio: number;
  requests: number;
  misses: number;
  originRequests: number;
  objectCalls: number;
  requestsPerSecond: number;
}

/** Sends `paths` CONCURRENCY at a time; answers the misses and the wall time. */
async function send(base: string, paths: string[]): Promise<{ misses: number; seconds: number }> {
  let next = 0;
  let misses = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < paths.length) {
      const response = await fetch(`${base}${paths[next++]}`);
      if (response.status !== 200) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
      if (/cache;desc=miss/.test(response.headers.get('Server-Timing') ?? '')) misses++;
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { misses, seconds: (performance.now() - started) / 1000 };
}

/** `count` distinct transformations no earlier run used (width and quality move through a grid). */
let variantsUsed = 0;
function transformations(count: number): string[] {
  const list: string[] = [];
  for (let i = 0; i < count; i++, variantsUsed++) list.push(`w-${40 + (variantsUsed % 200)},q-${1 + Math.floor(variantsUsed / 200)}`);
  return list;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const web = await startWebFolderServer();
  const { dev, admin, auth, close } = await startDevTenant('delivery');
  try {
    const photo = await readFile(PHOTO);

    const form = new FormData();
    form.set('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
    form.set('fileName', 'photo.jpg');
    form.set('useUniqueFileName', 'false');
    if (!(await fetch(`${dev.url}/api/v1/files/upload`, { method: 'POST', headers: auth, body: form })).ok) throw new Error('upload failed');
    const put = await fetch(`${web.url}/files/bench/web-photo.jpg`, {
      method: 'PUT',
      body: photo,
      headers: { 'Content-Type': 'image/jpeg', 'X-Test-Cache-Control': 'public, max-age=3600' },
    });
    if (put.status !== 201) throw new Error('web folder PUT failed');
    const apiHeaders = { ...auth, 'Content-Type': 'application/json' };
    const origin = (await (
      await fetch(`${dev.url}/v1/accounts/origins`, {
        method: 'POST',
        headers: apiHeaders,
        body: JSON.stringify({ type: 'WEB_FOLDER', name: 'web', baseUrl: `${web.url}/files/bench/` }),
      })
    ).json()) as { id: string };
    await fetch(`${dev.url}/v1/accounts/url-endpoints`, {
      method: 'POST',
      headers: apiHeaders,
      body: JSON.stringify({ description: 'web', urlPrefix: 'web', origins: [origin.id] }),
    });

    const objectCalls = async () => {
      const counters = (await (await fetch(`${dev.url}/admin/v1/isolate`, { headers: admin })).json()) as { objectCalls: Record<string, number> };
      return Object.entries(counters.objectCalls)
        .filter(([name]) => name.startsWith('MediaLibrary.') && name !== 'MediaLibrary.addUsage')
        .reduce((sum, [, n]) => sum + n, 0);
    };
    const originRequests = async () => ((await (await fetch(`${web.url}/_log/bench`)).json()) as string[]).length;

    // Another name in the web folder: the library is asked first, and has photo.jpg.
    const sources = [
      { source: 'library', prefix: '/bench', file: 'photo.jpg' },
      { source: 'web folder', prefix: '/bench/web', file: 'web-photo.jpg' },
    ];
    const rows: Row[] = [];
    for (const { source, prefix, file } of sources) {
      for (const ratio of RATIOS) {
        const distinct = transformations(Math.round(REQUESTS * (1 - ratio)));
        const paths = Array.from({ length: REQUESTS }, (_, i) => `${prefix}/tr:${distinct[i % distinct.length]}/${file}`);
        const [calls, seen] = [await objectCalls(), await originRequests()];
        const { misses, seconds } = await send(dev.url, paths);
        rows.push({
          source,
          hitRatio: ratio,
          requests: REQUESTS,
          misses,
          originRequests: (await originRequests()) - seen,
          objectCalls: (await objectCalls()) - calls,
          requestsPerSecond: Math.round(REQUESTS / seconds),
        });
      }
    }

    // Throughput of pure hits (warm variants) against a request that does nothing, alternated to share the load.
    const warm = Array.from({ length: REQUESTS }, (_, i) => `/bench/tr:w-${40 + (i % 10)},q-1/photo.jpg`);
    await send(dev.url, warm.slice(0, 10));
    const health = { seconds: 0 };
    const hits = { seconds: 0 };
    for (let round = 0; round < 4; round++) {
      health.seconds += (await send(dev.url, Array.from({ length: REQUESTS / 4 }, () => '/healthz'))).seconds;
      hits.seconds += (await send(dev.url, warm.slice(0, REQUESTS / 4))).seconds;
    }
    const hitThroughput = { hitsPerSecond: Math.round(REQUESTS / hits.seconds), healthzPerSecond: Math.round(REQUESTS / health.seconds) };

    if (json) {
      for (const row of rows) console.log(JSON.stringify(row));
      console.log(JSON.stringify({ ...hitThroughput, ratio: hits.seconds === 0 ? 0 : health.seconds / hits.seconds }));
      return;
    }
    console.log('source       hit ratio  misses  origin requests  object calls  req/s');
    for (const r of rows) {
      console.log(
        `${r.source.padEnd(12)} ${`${r.hitRatio * 100} %`.padStart(9)}  ${String(r.misses).padStart(6)}  ${String(r.originRequests).padStart(15)}  ${String(r.objectCalls).padStart(12)}  ${String(r.requestsPerSecond).padStart(5)}`,
      );
    }
    const ratio = health.seconds / hits.seconds;
    console.log(`\nhits ${hitThroughput.hitsPerSecond}/s vs /healthz ${hitThroughput.healthzPerSecond}/s: ${ratio.toFixed(2)}× (target ≥ 0.9)`);
    for (const r of rows.filter((row) => row.hitRatio === 0.99)) {
      const originOk = r.originRequests <= 10 + r.misses;
      const callsOk = r.objectCalls <= r.misses;
      console.log(`${r.source} at 99 %: origin requests ≤ 10 + misses: ${originOk ? 'yes' : 'NO'}; object calls ≤ misses: ${callsOk ? 'yes' : 'NO'}`);
    }
  } finally {
    await close();
    await web.close();
  }
}

await main();
