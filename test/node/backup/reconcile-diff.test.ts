/** The reconcile diff: library expectations against a bucket listing and the stamps its sidecars carry. */
import { describe, expect, it } from 'vitest';
import { diffBucket, type ExpectedObject } from '../../../src/backup/reconcile/diff';

type Message = { versionId: string };

/** A version's bytes and sidecar, as the mirror lays them out in this test. */
function version(path: string, versionId: string, size: number, updatedAt = 1): ExpectedObject<Message>[] {
  const repair = { id: versionId, message: { versionId } };
  return [
    { key: `t/${path}`, kind: 'bytes', size, repair },
    { key: `t/${path}.json`, kind: 'sidecar', stamp: `${versionId}@${updatedAt}`, repair },
  ];
}

const listed = (key: string, size = 10) => ({ key, size, etag: 'e' });

describe('diffBucket', () => {
  const expected = [...version('a.jpg', 'v1', 10), ...version('b/c.png', 'v2', 20)];
  const inSync = {
    objects: [listed('t/a.jpg', 10), listed('t/a.jpg.json', 300), listed('t/b/c.png', 20), listed('t/b/c.png.json', 300)],
    sidecarStamps: new Map([['t/a.jpg.json', 'v1@1'], ['t/b/c.png.json', 'v2@1']]),
  };

  it('finds nothing to do when the bucket matches', () => {
    expect(diffBucket(expected, inSync, 'mirror')).toEqual({ missing: 0, stale: 0, orphaned: 0, kept: 0, repairs: [], deletes: [] });
  });

  it('repairs a version once when both its objects are missing', () => {
    const drift = diffBucket(expected, { ...inSync, objects: inSync.objects.slice(0, 2) }, 'mirror');
    expect(drift.missing).toBe(2);
    expect(drift.repairs).toEqual([{ versionId: 'v2' }]);
  });

  it('repairs bytes of the wrong size', () => {
    const objects = inSync.objects.map((o) => (o.key === 't/a.jpg' ? listed('t/a.jpg', 9) : o));
    const drift = diffBucket(expected, { ...inSync, objects }, 'mirror');
    expect(drift).toMatchObject({ missing: 0, stale: 1, repairs: [{ versionId: 'v1' }] });
  });

  it('repairs a sidecar that names another state, or cannot be read', () => {
    const stamps = new Map<string, string | null>([['t/a.jpg.json', 'v0@1'], ['t/b/c.png.json', null]]);
    const drift = diffBucket(expected, { ...inSync, sidecarStamps: stamps }, 'mirror');
    expect(drift.stale).toBe(2);
    expect(drift.repairs).toEqual([{ versionId: 'v1' }, { versionId: 'v2' }]);
  });

  it('repairs a sidecar written before a metadata change', () => {
    const changed = [...version('a.jpg', 'v1', 10, 2), ...version('b/c.png', 'v2', 20)];
    expect(diffBucket(changed, inSync, 'mirror').repairs).toEqual([{ versionId: 'v1' }]);
  });

  it('does not judge a listed sidecar that was not read', () => {
    const drift = diffBucket(expected, { ...inSync, sidecarStamps: new Map() }, 'mirror');
    expect(drift.stale).toBe(0);
  });

  it('deletes orphans when deletes are mirrored, keeps them otherwise', () => {
    const objects = [...inSync.objects, listed('t/stray.txt'), listed('t/gone.jpg.json')];
    const mirrored = diffBucket(expected, { ...inSync, objects }, 'mirror');
    expect(mirrored).toMatchObject({ orphaned: 2, kept: 0, deletes: ['t/stray.txt', 't/gone.jpg.json'], repairs: [] });
    const kept = diffBucket(expected, { ...inSync, objects }, 'keep');
    expect(kept).toMatchObject({ orphaned: 2, kept: 2, deletes: [] });
  });

  it('repairs everything into an empty bucket and deletes everything when the library is empty', () => {
    expect(diffBucket(expected, { objects: [], sidecarStamps: new Map() }, 'mirror').repairs).toHaveLength(2);
    expect(diffBucket([], inSync, 'mirror').deletes).toHaveLength(4);
  });
});
