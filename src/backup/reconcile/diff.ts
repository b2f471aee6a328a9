/**
 * Drift between what the library says the bucket should hold and what the bucket holds, as repairs. Pure: the
 * caller lists the bucket, reads the sidecars and walks the library over the same range of keys.
 *
 * - missing: an expected object is not in the listing;
 * - stale: the bytes have another size, or a sidecar names another state of the file (or cannot be read);
 * - orphaned: a listed object nothing expects. Deleted when the tenant mirrors deletes, kept (and only counted)
 *   when it keeps them: a kept delete and a stray object look the same from here.
 *
 * A repair re-sends what the mirror consumes for that version; objects of one version share one repair.
 */
import type { ListedObject } from '../bucket';

export type DeletePolicy = 'mirror' | 'keep';

export interface ExpectedObject<M> {
  key: string;
  /** `bytes` are compared by size, a `sidecar` by the stamp read from it. */
  kind: 'bytes' | 'sidecar';
  size?: number;
  /** What the sidecar must say about the file's state (its version and last change). */
  stamp?: string;
  /** Writes this object again; `id` groups the objects one message rewrites. */
  repair: { id: string; message: M };
}

export interface BucketState {
  objects: ListedObject[];
  /** The stamp each sidecar that was read carries; null when it could not be read or parsed. */
  sidecarStamps: ReadonlyMap<string, string | null>;
}

export interface Drift<M> {
  missing: number;
  stale: number;
  orphaned: number;
  /** Orphans left in place (deletes: "keep"). */
  kept: number;
  /** One message per version that needs writing again, in the order first met. */
  repairs: M[];
  /** Keys to delete (deletes: "mirror"). */
  deletes: string[];
}

export function diffBucket<M>(expected: readonly ExpectedObject<M>[], bucket: BucketState, policy: DeletePolicy): Drift<M> {
  const listed = new Map(bucket.objects.map((o) => [o.key, o]));
  const drift: Drift<M> = { missing: 0, stale: 0, orphaned: 0, kept: 0, repairs: [], deletes: [] };
  const repaired = new Set<string>();
  const repair = (object: ExpectedObject<M>) => {
    if (repaired.has(object.repair.id)) return;
    repaired.add(object.repair.id);
    drift.repairs.push(object.repair.message);
  };
  const expectedKeys = new Set<string>();
  for (const object of expected) {
    expectedKeys.add(object.key);
    const found = listed.get(object.key);
    if (!found) {
      drift.missing++;
      repair(object);
    } else if (isStale(object, found, bucket.sidecarStamps)) {
      drift.stale++;
      repair(object);
    }
  }
  for (const object of bucket.objects) {
    if (expectedKeys.has(object.key)) continue;
    drift.orphaned++;
    if (policy === 'mirror') drift.deletes.push(object.key);
    else drift.kept++;
  }
  return drift;
}

function isStale<M>(object: ExpectedObject<M>, found: ListedObject, stamps: BucketState['sidecarStamps']): boolean {
  if (object.kind === 'bytes') return object.size !== undefined && found.size !== object.size;
  // A sidecar nobody read cannot be judged; one that was read must carry the stamp.
  if (!stamps.has(object.key)) return false;
  return stamps.get(object.key) !== object.stamp;
}
