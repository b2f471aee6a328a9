/**
 * The backup outbox's order rules, on a library's own SQLite: a change goes to the queue only when no earlier
 * change of its file, or touching its paths, is still waiting; a parked change waits for its time; a mirrored
 * change is gone, so its redelivery finds nothing to do.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../../../src/library/records';
import { BackupStore } from '../../../src/library/store/backup';
import { newTenant } from '../helpers';

const fileAt = (id: string, path: string, versionId: string) =>
  ({ id, path, version: { id: versionId, blob: `blob-${versionId}`, media: { size: 1 } } }) as unknown as FileRecord;

const put = (id: string, path: string, versionId: string) => {
  const file = fileAt(id, path, versionId);
  return { op: 'put' as const, fileId: id, versionId, path, blob: file.version.blob, size: 1, file, version: file.version, at: 1 };
};

describe('backup outbox', () => {
  it('sends per file and per path in order, parks failures, forgets what was mirrored', async () => {
    const tenant = await newTenant();
    const stub = env.MEDIA_LIBRARY.get(env.MEDIA_LIBRARY.idFromName(tenant));
    await runInDurableObject(stub, (_library, state) => {
      const store = new BackupStore(state.storage.sql);
      const now = Date.now();
      const ready = () => store.ready(now, 100).map((r) => r.seq);
      const a1 = store.record(put('A', '/p', 'a1'));
      const a2 = store.record({ ...put('A', '/q', 'a1'), op: 'update', version: undefined });
      const b1 = store.record(put('B', '/p', 'b1'));
      const c1 = store.record(put('C', '/r', 'c1'));
      // A's move knows where A was; B waits for both changes of A that touch /p.
      expect(store.pending([a2])[0]!.change).toMatchObject({ prevPath: '/p', path: '/q', prevVersionId: 'a1' });
      expect(ready()).toEqual([a1, c1]);
      store.markSent([a1, c1], now);
      expect(ready()).toEqual([]);
      expect(store.mirrored([a1], now)).toBe(false);
      expect(ready()).toEqual([a2]);
      store.markSent([a2], now);
      store.mirrored([a2], now);
      expect(ready()).toEqual([b1]);
      // A redelivered message of a mirrored change finds no row.
      expect(store.pending([a1, a2, b1]).map((r) => r.seq)).toEqual([b1]);

      // Given up by the dead-letter queue: parked until its time, a failing streak starts once.
      store.markSent([b1], now);
      const failure = { at: now, seq: b1, fileId: 'B', op: 'put' as const, step: 'put', reason: 'down' };
      expect(store.failed([failure], now, () => 5_000)).toBe(true);
      expect(store.failed([failure], now, () => 5_000)).toBe(false);
      expect(ready()).toEqual([]);
      expect(store.nextWakeAt(now)).toBe(now + 5_000);
      expect(store.ready(now + 5_000, 100).map((r) => r.seq)).toEqual([b1]);
      store.unpark();
      expect(ready()).toEqual([b1]);
      // The streak ends with the next change mirrored.
      expect(store.mirrored([b1, c1], now)).toBe(true);
      expect(store.count()).toBe(0);
      expect(store.failures()).toHaveLength(2);
    });
  });
});
