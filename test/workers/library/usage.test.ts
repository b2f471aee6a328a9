/**
 * `/v1/accounts/usage` through `@imagekit/nodejs` (`client.accounts.usage.get`): delivered bytes counted exactly,
 * storage counted once per stored blob, and ImageKit's date range rules (startDate included, endDate excluded).
 */
import { describe, expect, it } from 'vitest';
import { utcDay } from '../../../src/library/store/usage';
import { FULL_ACCESS } from '../../../src/security/keys';
import { fixtures } from '../../fixtures/registry';
import { addKey } from '../api-helpers';
import { fixtureBytes, get, putOriginal } from '../helpers';
import { failure, type LibraryTenant, newLibraryTenant, sdkFor } from '../library-helpers';

const DAY = 86_400_000;
const day = (offset: number) => utcDay(Date.now() + offset * DAY);
/** A range around today, so a test running across midnight UTC still sees its bytes. */
const AROUND_TODAY = { startDate: day(-1), endDate: day(2) };

async function bandwidth(t: LibraryTenant, range = AROUND_TODAY): Promise<number> {
  return (await t.client.accounts.usage.get(range)).bandwidthBytes!;
}

/** Usage is written after the response (in waitUntil): waits until the tenant's bandwidth reaches `expected`. */
async function bandwidthReaches(t: LibraryTenant, expected: number): Promise<void> {
  let seen = -1;
  for (let i = 0; i < 100 && seen !== expected; i++) {
    seen = await bandwidth(t);
    if (seen !== expected) await new Promise((r) => setTimeout(r, 20));
  }
  expect(seen).toBe(expected);
}

interface Received {
  status: number;
  bytes: number;
  headers: Headers;
}

/** GETs a delivery path and answers the number of body bytes received. */
async function received(path: string, init: RequestInit = {}): Promise<Received> {
  const res = await get(path, init);
  return { status: res.status, bytes: (await res.arrayBuffer()).byteLength, headers: res.headers };
}

/**
 * Delivers `path` until the edge cache answers (variants reach it in waitUntil); answers every byte received,
 * since each of those deliveries counts.
 */
async function deliverUntilEdgeHit(path: string): Promise<number> {
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const res = await received(path);
    total += res.bytes;
    if (res.headers.get('Server-Timing')?.includes('cache;desc=hit-edge')) {
      expect(res.headers.get('Content-Length')).toBe(String(res.bytes));
      return total;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${path} never reached the edge cache`);
}

describe('usage', () => {
  it('has the shape ImageKit answers, all zero for a new account', async () => {
    const t = await newLibraryTenant();
    expect(await t.client.accounts.usage.get(AROUND_TODAY)).toEqual({
      bandwidthBytes: 0,
      mediaLibraryStorageBytes: 0,
      originalCacheStorageBytes: 0,
      videoProcessingUnitsCount: 0,
      extensionUnitsCount: 0,
    });
  });

  it('grows bandwidth by exactly the bytes of successful GET responses', async () => {
    const t = await newLibraryTenant();
    const photo = await fixtureBytes(fixtures.jpegBaseline.path);
    await putOriginal(t.tenantId, 'a.jpg', photo);

    const rendered = await received(`/${t.tenantId}/tr:w-100/a.jpg`);
    const original = await received(`/${t.tenantId}/tr:orig-true/a.jpg`); // streamed, counted as it goes
    expect([rendered.status, original.status]).toEqual([200, 200]);
    expect(rendered.headers.get('Content-Length')).toBe(String(rendered.bytes));
    expect(original.bytes).toBe(photo.length);
    let expected = rendered.bytes + original.bytes;
    await bandwidthReaches(t, expected);

    expected += await deliverUntilEdgeHit(`/${t.tenantId}/tr:w-100/a.jpg`);
    await bandwidthReaches(t, expected);

    // Not counted: HEAD, 304, errors.
    expect((await received(`/${t.tenantId}/tr:w-100/a.jpg`, { method: 'HEAD' })).status).toBe(200);
    expect((await received(`/${t.tenantId}/tr:w-100/a.jpg`, { headers: { 'If-None-Match': rendered.headers.get('ETag')! } })).status).toBe(304);
    expect((await received(`/${t.tenantId}/missing.jpg`)).status).toBe(404);
    const last = await received(`/${t.tenantId}/tr:w-50/a.jpg`);
    await bandwidthReaches(t, expected + last.bytes);
  });

  it('counts only the days from startDate up to, not including, endDate', async () => {
    const t = await newLibraryTenant();
    await putOriginal(t.tenantId, 'a.jpg', await fixtureBytes(fixtures.jpegBaseline.path));
    const { bytes } = await received(`/${t.tenantId}/tr:w-60/a.jpg`);
    await bandwidthReaches(t, bytes);
    expect(await bandwidth(t, { startDate: day(0), endDate: day(1) })).toBe(bytes);
    expect(await bandwidth(t, { startDate: day(-1), endDate: day(0) })).toBe(0);
    expect(await bandwidth(t, { startDate: day(1), endDate: day(2) })).toBe(0);
  });

  it('counts stored bytes once per distinct blob', async () => {
    const t = await newLibraryTenant();
    const photo = await fixtureBytes(fixtures.jpegBaseline.path);
    const png = await fixtureBytes(fixtures.pngAlphaGradient.path);
    await putOriginal(t.tenantId, 'a.jpg', photo);
    await putOriginal(t.tenantId, 'copies/b.jpg', photo);
    await putOriginal(t.tenantId, 'c.png', png, 'image/png');
    const usage = await t.client.accounts.usage.get(AROUND_TODAY);
    expect(usage.mediaLibraryStorageBytes).toBe(photo.length + png.length);
    expect(usage.bandwidthBytes).toBe(0);
  });

  it('refuses bad dates and ranges with a 400 naming the field', async () => {
    const t = await newLibraryTenant();
    const cases: [{ startDate: string; endDate: string }, string][] = [
      [{ startDate: '', endDate: '2025-01-02' }, 'startDate'],
      [{ startDate: '2025-1-01', endDate: '2025-01-02' }, 'startDate'],
      [{ startDate: '2025-02-30', endDate: '2025-03-02' }, 'startDate'],
      [{ startDate: '2025-01-01', endDate: 'tomorrow' }, 'endDate'],
      [{ startDate: '2025-01-01T00:00:00Z', endDate: '2025-01-02' }, 'startDate'],
      [{ startDate: '2025-01-02', endDate: '2025-01-01' }, 'endDate'],
      [{ startDate: '2025-01-01', endDate: '2025-01-01' }, 'endDate'],
      [{ startDate: '2025-01-01', endDate: '2025-04-02' }, 'endDate'], // 91 days
    ];
    for (const [range, field] of cases) {
      const refused = await failure(t.client.accounts.usage.get(range));
      expect(refused.status, JSON.stringify(range)).toBe(400);
      expect(refused.body.message, JSON.stringify(range)).toContain(`"${field}"`);
    }
    expect(await bandwidth(t, { startDate: '2025-01-01', endDate: '2025-04-01' })).toBe(0); // exactly 90 days
  });

  it('needs settings read, as the other account APIs do', async () => {
    const t = await newLibraryTenant();
    const accountReader = sdkFor((await addKey(t.tenantId, { files: 'none', settings: 'read', audit: 'none' })).privateKey);
    expect((await accountReader.accounts.usage.get(AROUND_TODAY)).bandwidthBytes).toBe(0);
    const mediaOnly = sdkFor((await addKey(t.tenantId, { ...FULL_ACCESS, settings: 'none' })).privateKey);
    expect((await failure(mediaOnly.accounts.usage.get(AROUND_TODAY))).status).toBe(403);
  });
});
