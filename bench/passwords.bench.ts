/**
 * What a password check costs: PBKDF2-SHA256 at 100 000 iterations (what src/people/passwords.ts stores, the most
 * WebCrypto allows in Workers) through WebCrypto in Node and in workerd (Miniflare), beside argon2id in WASM
 * (hash-wasm, OWASP's minimum: 19 MiB, t=2, p=1) and the reference, Node's native `pbkdf2Sync` with the same
 * parameters, all in this run. Medians of CPU ms (Node) or wall ms minus an empty request's (workerd).
 *
 * Usage: npm run bench:passwords -- [--runs N]
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { argon2id } from 'hash-wasm';
import { Miniflare } from 'miniflare';
import { cpuMs, median, round } from './measure';
import { hashPassword, PBKDF2_ITERATIONS } from '../src/people/passwords';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 9;
const PASSWORD = 'correct horse battery staple';

async function measure(label: string, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await cpuMs(run));
  return median(times);
}

const salt = randomBytes(16);
const reference = await measure('native', async () => pbkdf2Sync(PASSWORD, salt, PBKDF2_ITERATIONS, 32, 'sha256'));
// Hashing and verifying cost the same derivation (verifying compares with workerd's timingSafeEqual, absent in Node).
const webcrypto = await measure('webcrypto', () => hashPassword(PASSWORD));
const argon = await measure('argon2id', () => argon2id({ password: PASSWORD, salt, iterations: 2, memorySize: 19 * 1024, parallelism: 1, hashLength: 32, outputType: 'hex' }));

// workerd: the same WebCrypto call inside a Worker. Its clocks stand still during a request, so the time is taken
// from outside, less the time of a request that does nothing.
const mf = new Miniflare({
  modules: true,
  compatibilityDate: '2026-04-26',
  script: `
    export default {
      async fetch(request) {
        if (new URL(request.url).pathname === '/empty') return new Response('');
        const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('${PASSWORD}'), 'PBKDF2', false, ['deriveBits']);
        const salt = crypto.getRandomValues(new Uint8Array(16));
        await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: ${PBKDF2_ITERATIONS} }, key, 256);
        return new Response('');
      },
    };`,
});
async function wall(path: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const start = performance.now();
    await (await mf.dispatchFetch(`http://bench${path}`)).text();
    if (i >= 2) times.push(performance.now() - start);
  }
  return median(times);
}
const empty = await wall('/empty');
const workerd = (await wall('/hash')) - empty;
await mf.dispose();

const rows = [
  ['native pbkdf2Sync (reference)', reference],
  ['PBKDF2 WebCrypto, Node (what edgepix runs)', webcrypto],
  ['PBKDF2 WebCrypto, workerd (wall − empty request)', workerd],
  ['argon2id WASM (hash-wasm, 19 MiB, t=2)', argon],
] as const;
console.log(`password hashing, ${PBKDF2_ITERATIONS} PBKDF2-SHA256 iterations, median of ${runs} runs\n`);
for (const [label, ms] of rows) console.log(`${label.padEnd(52)} ${String(round(ms, 1)).padStart(7)} ms  ×${round(ms / reference, 2)}`);
