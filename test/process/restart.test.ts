/**
 * Restarts as production has them: `wrangler dev` on a persisted state folder, lanes of uploads, overwrites and
 * deletes in flight, SIGKILL of the whole process group at a random moment, and a start on the same state.
 * After each restart, before any request touches the library, pending alarms run (they deliver the webhook
 * events of what was acknowledged); then every acknowledged write reads back byte for byte through the API and
 * delivery, every listed file is readable, an unacknowledged write is either wholly there or wholly absent,
 * and the audit chain verifies. The seed of the kill moments is printed, and RESTART_SEED replays it.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../servers/listen';
import { startWebFolderServer } from '../servers/web-folder';
import { newSecrets, WranglerDev } from './wrangler-dev';

const ROUNDS = 3;
const LANES = 6;
const FOLDER = 'restart';

/** What a path holds: the SHA-256 of its bytes, or null for no file. */
type Held = string | null;

interface PathState {
  fileId: string | null;
  acknowledged: Held;
  /** The write that was on its way when the server died: it may or may not have happened. */
  inFlight: { held: Held } | null;
}

interface Acknowledged {
  type: 'file.created' | 'file-version.created' | 'file.deleted';
  fileId: string;
}

/** mulberry32: small, seedable, good enough to spread kill moments and choices. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let imageCounter = 0;
/** A small PNG no other write in the test has: its colour counts up. */
async function uniquePng(): Promise<Uint8Array> {
  const n = ++imageCounter;
  const background = { r: n & 255, g: (n >> 8) & 255, b: 128 };
  return new Uint8Array(await sharp({ create: { width: 12, height: 8, channels: 3, background } }).png().toBuffer());
}

const seed = Number(process.env.RESTART_SEED ?? Math.floor(Math.random() * 2 ** 31));
const next = random(seed);
const paths = new Map<string, PathState>();
const acknowledged: Acknowledged[] = [];
let dev: WranglerDev;
let receiver: RunningServer;
let stateDir: string;
let tenant: { id: string; auth: string };

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${dev.url}${path}`, { ...init, headers: { Authorization: tenant.auth, ...(init.headers ?? {}) } });

async function upload(name: string, bytes: Uint8Array): Promise<{ fileId: string }> {
  const form = new FormData();
  form.set('file', new Blob([bytes], { type: 'image/png' }), name);
  form.set('fileName', name);
  form.set('folder', `/${FOLDER}`);
  form.set('useUniqueFileName', 'false');
  const res = await api('/api/v1/files/upload', { method: 'POST', body: form });
  if (res.status !== 200) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { fileId: string };
}

/** One lane: writes one after another on its own paths, until the server dies under it. */
async function lane(index: number, round: number): Promise<void> {
  for (let step = 0; ; step++) {
    const mine = [...paths.entries()].filter(([name, s]) => name.startsWith(`lane${index}-`) && s.acknowledged !== null);
    const roll = next();
    let name: string;
    let state: PathState;
    let write: () => Promise<Acknowledged>;
    if (mine.length === 0 || roll < 0.5) {
      name = `lane${index}-r${round}-${step}.png`;
      state = { fileId: null, acknowledged: null, inFlight: null };
      paths.set(name, state);
    } else {
      [name, state] = mine[Math.floor(next() * mine.length)]!;
    }
    if (state.acknowledged !== null && roll >= 0.8) {
      const fileId = state.fileId!;
      state.inFlight = { held: null };
      write = async () => {
        const res = await api(`/v1/files/${fileId}`, { method: 'DELETE' });
        if (res.status !== 204) throw new Error(`delete ${name}: ${res.status} ${await res.text()}`);
        return { type: 'file.deleted', fileId };
      };
    } else {
      const bytes = await uniquePng();
      const existed = state.acknowledged !== null;
      state.inFlight = { held: sha256(bytes) };
      write = async () => {
        const { fileId } = await upload(name, bytes);
        state.fileId = fileId;
        return { type: existed ? 'file-version.created' : 'file.created', fileId };
      };
    }
    try {
      acknowledged.push(await write());
    } catch (error) {
      // The server died with the write on its way: it stays in flight, to be judged after the restart.
      if (error instanceof Error && /^(upload|delete) /.test(error.message)) throw error;
      return;
    }
    state.acknowledged = state.inFlight.held;
    state.inFlight = null;
  }
}

interface Listed {
  fileId: string;
  name: string;
  size: number;
  url: string;
}

async function listed(): Promise<Listed[]> {
  const res = await api(`/v1/files?path=/${FOLDER}&limit=1000`);
  expect(res.status).toBe(200);
  return (await res.json()) as Listed[];
}

async function receivedEvents(): Promise<{ type: string; fileId: string }[]> {
  const hooks = (await (await fetch(`${receiver.url}/_hooks/restart`)).json()) as { body: string }[];
  return hooks.map((hook) => {
    const event = JSON.parse(hook.body) as { type: string; data: { fileId: string } };
    return { type: event.type, fileId: event.data.fileId };
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edgepix-restart-'));
  receiver = await startWebFolderServer();
  const secrets = newSecrets();
  dev = new WranglerDev(stateDir, secrets);
  await dev.start();
  const created = await fetch(`${dev.url}/admin/v1/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secrets.PLATFORM_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 'restart-demo' }),
  });
  expect(created.status).toBe(201);
  const { id, privateKey } = (await created.json()) as { id: string; privateKey: string };
  tenant = { id, auth: `Basic ${Buffer.from(`${privateKey}:`).toString('base64')}` };
  const hook = await api('/v1/accounts/webhook', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: `${receiver.url}/hooks/restart` }),
  });
  expect(hook.status).toBe(200);
  console.log(`restart test: RESTART_SEED=${seed}`);
}, 120_000);

afterAll(async () => {
  await dev?.kill();
  await receiver?.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('a SIGKILL of wrangler dev in the middle of writes', () => {
  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: everything acknowledged survives, nothing is half there`, async () => {
      const killAfterMs = 400 + Math.floor(next() * 2_000);
      const lanes = Array.from({ length: LANES }, (_, i) => lane(i, round));
      await new Promise((r) => setTimeout(r, killAfterMs));
      await dev.kill();
      await Promise.all(lanes);
      const inFlight = [...paths.values()].filter((s) => s.inFlight).length;
      console.log(`round ${round}: killed after ${killAfterMs} ms, ${acknowledged.length} writes acknowledged so far, ${inFlight} in flight`);
      const logBefore = dev.output.length;
      await dev.start();

      // Alarms come first, as after an eviction: every acknowledged write's event arrives with no request made.
      await waitFor(
        'the webhook events of every acknowledged write',
        async () => {
          const events = await receivedEvents();
          return acknowledged.every((a) => events.some((e) => e.type === a.type && e.fileId === a.fileId));
        },
        30_000,
      );

      const files = await listed();
      const byName = new Map(files.map((f) => [f.name, f]));
      for (const [name, state] of paths) {
        const file = byName.get(name);
        const possible: Held[] = [state.acknowledged, ...(state.inFlight ? [state.inFlight.held] : [])];
        let held: Held = null;
        if (file) {
          const delivered = await fetch(`${dev.url}/${tenant.id}/tr:orig-true/${FOLDER}/${name}`);
          expect(delivered.status, `delivery of ${name}`).toBe(200);
          const bytes = new Uint8Array(await delivered.arrayBuffer());
          held = sha256(bytes);
          const details = await api(`/v1/files/${file.fileId}/details`);
          expect(details.status).toBe(200);
          expect(((await details.json()) as Listed).size).toBe(bytes.length);
          state.fileId = file.fileId;
        } else {
          expect((await fetch(`${dev.url}/${tenant.id}/${FOLDER}/${name}`)).status, `delivery of absent ${name}`).toBe(404);
        }
        expect(possible, `${name} holds what was acknowledged or what was on its way`).toContain(held);
        state.acknowledged = held;
        state.inFlight = null;
      }
      expect(files.every((f) => paths.has(f.name))).toBe(true);

      const verified = await api('/v1/accounts/audit-logs/verify');
      expect(await verified.json()).toMatchObject({ ok: true });
      expect(dev.output.slice(logBefore)).not.toMatch(/Uncaught|unhandled error| failed:/);
      expect(acknowledged.length).toBeGreaterThan(0);
    }, 150_000);
  }
});
