/**
 * One probe run: each component asked, one after another (so one probe's CPU does not slow another's clock),
 * through the public routes — `call` is the Worker's own fetch handler, so a probe meets routing, auth, the
 * delivery stages and the objects and buckets behind them exactly as a client's request does. Each probe has a
 * time limit; past it the probe is down, whatever the request does later.
 */
import { purgeVariants } from '../cache/purge';
import type { Env } from '../env';
import { mediaOf } from '../storage/media';
import { basicAuth, type Call, type Canary, DELIVERY_FILE, ensureCanary, seedCanaryFiles, TRANSFORM_FILE, uploadRequest } from './canary';
import { COMPONENTS, type ComponentId } from './components';
import type { ProbeResult } from './types';
import { classify } from './uptime';

export const PROBE_TIMEOUT_MS = 10_000;
/** One name, replaced each run, so a run whose delete failed leaves one file behind, not one per run. */
const UPLOAD_FILE = 'status/uploads/probe.png';
/** The address the probes' requests carry: no tenant's hostname, so they take the platform's routes. */
export const PROBE_ORIGIN = 'https://status-probe.edgepix.internal';

interface Probe {
  component: ComponentId;
  /** '' when the answer was what it should be, else what was wrong. */
  check(target: Target): Promise<string>;
  /** Tidying after the measurement (not timed). */
  after?(target: Target): Promise<void>;
}

interface Target {
  env: Env;
  call: Call;
  canary: Canary;
  /** Waits for the background work of the requests made so far (what they store after answering). */
  settle: () => Promise<void>;
  /** Distinguishes this run's transformation from every other run's (seconds since the epoch). */
  run: number;
}

const get = (target: Target, path: string, auth = true) =>
  target.call(new Request(`${PROBE_ORIGIN}${path}`, { headers: auth ? { Authorization: basicAuth(target.canary.privateKey) } : {} }));

async function expectImage(response: Response): Promise<string> {
  const type = response.headers.get('Content-Type') ?? '';
  const size = (await response.arrayBuffer()).byteLength;
  if (response.status !== 200) return `HTTP ${response.status}`;
  if (!type.startsWith('image/')) return `answered ${type || 'no content type'}, not an image`;
  return size === 0 ? 'an empty image' : '';
}

async function expectJsonArray(response: Response): Promise<string> {
  if (response.status !== 200) return `HTTP ${response.status}`;
  const body: unknown = await response.json().catch(() => null);
  return Array.isArray(body) ? '' : 'answered something other than a JSON array';
}

/** `c-at_max` never enlarges, so every run's new width and height still make a 16×16 output: a miss that costs little. */
const transformation = (run: number) => `w-${16 + (run % 2000)},h-${16 + (Math.floor(run / 2000) % 2000)},c-at_max`;

export const PROBES: readonly Probe[] = [
  { component: 'delivery', check: async (t) => expectImage(await get(t, `/${t.canary.tenantId}/tr:w-16/${DELIVERY_FILE}`, false)) },
  {
    component: 'transformations',
    check: async (t) => expectImage(await get(t, `/${t.canary.tenantId}/tr:${transformation(t.run)}/${TRANSFORM_FILE}`, false)),
    // Each run's variant is never asked for again: drop it here so they do not pile up (no zone purge: no other
    // location will be asked for it either).
    after: async (t) => {
      await t.settle();
      await purgeVariants({ MEDIA: mediaOf(t.env, t.canary.tenantId) }, t.canary.tenantId, { path: TRANSFORM_FILE });
    },
  },
  { component: 'api', check: async (t) => expectJsonArray(await get(t, '/v1/files?limit=1')) },
  {
    component: 'uploads',
    check: async (t) => {
      const uploaded = await t.call(uploadRequest(PROBE_ORIGIN, t.canary, UPLOAD_FILE));
      if (uploaded.status !== 200) return `upload: HTTP ${uploaded.status}`;
      const { fileId } = (await uploaded.json()) as { fileId: string };
      const deleted = await t.call(new Request(`${PROBE_ORIGIN}/v1/files/${fileId}`, { method: 'DELETE', headers: { Authorization: basicAuth(t.canary.privateKey) } }));
      return deleted.status === 204 ? '' : `delete: HTTP ${deleted.status}`;
    },
  },
  { component: 'video', check: async (t) => expectJsonArray(await get(t, '/v1/accounts/video-jobs?limit=1')) },
];

const DEGRADED_AFTER = Object.fromEntries(COMPONENTS.map((c) => [c.id, c.degradedAfterMs])) as Record<ComponentId, number>;

/** Runs every probe and answers their results; a canary that cannot be had makes every probe down, with why. */
export async function runProbes(env: Env, call: Call, settle: () => Promise<void>, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult[]> {
  let canary: Canary;
  try {
    canary = await withTimeout(ensureCanary(env, call, PROBE_ORIGIN), timeoutMs);
  } catch (error) {
    const detail = `no canary: ${messageOf(error)}`;
    const at = Date.now();
    return PROBES.map((p) => ({ component: p.component, at, state: 'down', latencyMs: 0, detail }));
  }
  const target: Target = { env, call, canary, settle, run: Math.floor(Date.now() / 1000) };
  const results: ProbeResult[] = [];
  for (const probe of PROBES) {
    const at = Date.now();
    const detail = await withTimeout(probe.check(target), timeoutMs).catch(messageOf);
    const latencyMs = Date.now() - at;
    results.push({ component: probe.component, at, latencyMs, detail, state: classify(detail === '', latencyMs, DEGRADED_AFTER[probe.component]) });
    await probe.after?.(target).catch((error) => console.error(`status probe ${probe.component}: tidying failed`, error));
  }
  // A canary file gone (deleted by hand, lost) is put back, so the component is down for this run only.
  if (results.some((r) => r.detail === 'HTTP 404')) await seedCanaryFiles(call, PROBE_ORIGIN, canary).catch((error) => console.error('status probe: re-seeding the canary failed', error));
  return results;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
