/** The board's retention, run by its alarm: old probes, days and resolved incidents go, recent ones stay. */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { StatusBoard } from '../../../src/durable/status-board';
import { DAY_MS, utcDay } from '../../../src/status/uptime';

const count = (board: DurableObjectStub<StatusBoard>, table: string) =>
  runInDurableObject(board, (_o, state) => state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n);

describe('status board retention', () => {
  it('keeps probes a week, daily counts 90 days and resolved incidents 90 days', async () => {
    const board = env.STATUS_BOARD.get(env.STATUS_BOARD.idFromName('retention-test'));
    const now = Date.now();
    const probe = (ageMs: number) => ({ component: 'api' as const, at: now - ageMs, state: 'ok' as const, latencyMs: 5, detail: '' });
    await board.record([probe(0), probe(6 * DAY_MS), probe(8 * DAY_MS), probe(89 * DAY_MS), probe(92 * DAY_MS)]);
    expect(await count(board, 'probes')).toBe(5);
    expect(await count(board, 'days')).toBe(5);

    const recorded = await runInDurableObject(board, async (instance) => {
      const o = instance as StatusBoard;
      const old = o.createIncident({ title: 'old', message: 'm', impact: 'minor', components: ['api'], status: 'investigating' }, now - 120 * DAY_MS);
      o.addUpdate(old.id, { status: 'resolved', message: 'done' }, now - 100 * DAY_MS);
      const recent = o.createIncident({ title: 'recent', message: 'm', impact: 'minor', components: ['api'], status: 'investigating' }, now - 120 * DAY_MS);
      o.addUpdate(recent.id, { status: 'resolved', message: 'done' }, now - 10 * DAY_MS);
      o.createIncident({ title: 'open for long', message: 'm', impact: 'minor', components: [], status: 'monitoring' }, now - 200 * DAY_MS);
      return o.snapshot(now);
    });
    expect(recorded.resolved.map((i) => i.title)).toEqual(['recent']); // the page shows 90 days of them already

    expect(await runDurableObjectAlarm(board)).toBe(true);

    const ages = await runInDurableObject(board, (_o, state) =>
      state.storage.sql.exec<{ at: number }>('SELECT at FROM probes ORDER BY at DESC').toArray().map((r) => Math.round((now - r.at) / DAY_MS)),
    );
    expect(ages).toEqual([0, 6]);
    const days = await runInDurableObject(board, (_o, state) => state.storage.sql.exec<{ day: string }>('SELECT day FROM days ORDER BY day').toArray().map((r) => r.day));
    expect(days).toEqual([89, 8, 6, 0].map((age) => utcDay(now - age * DAY_MS)));
    const titles = await runInDurableObject(board, (_o, state) => state.storage.sql.exec<{ title: string }>('SELECT title FROM incidents ORDER BY title').toArray().map((r) => r.title));
    expect(titles).toEqual(['open for long', 'recent']);
    expect(await count(board, 'incident_updates')).toBe(3);

    // Something is left, so the alarm comes back for it.
    expect(await runInDurableObject(board, (_o, state) => state.storage.getAlarm())).not.toBeNull();
  });
});
