/** A tenant export's records and the messages of its job (src/exports/consumer.ts). */

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed' | 'expired';
export type PartStatus = 'pending' | 'running' | 'done' | 'failed';

/** How big one archive may grow: a part closes before it passes either bound (a single larger file gets its own). */
export interface PartBounds {
  maxFiles: number;
  maxBytes: number;
}

/** One archive of an export: the library's files with ids in (afterId, lastId] (lastId null: to the end). */
export interface PartPlan {
  afterId: string;
  lastId: string | null;
  files: number;
  bytes: number;
}

export interface PartRecord extends PartPlan {
  n: number;
  status: PartStatus;
  attempts: number;
  /** The archive's size and SHA-256 once written. */
  size: number | null;
  sha256: string | null;
  error: string | null;
}

export interface ExportRecord {
  id: string;
  tenantId: string;
  status: ExportStatus;
  bounds: PartBounds;
  createdAt: string;
  finishedAt: string | null;
  /** When the archives are deleted (set once the export ends). */
  expiresAt: string | null;
  error: string | null;
  parts: PartRecord[];
}

/** One step of an export job: plan the parts, write one part, or write the manifest once every part is done. */
export type ExportMessage =
  | { kind: 'plan'; tenantId: string; exportId: string }
  | { kind: 'part'; tenantId: string; exportId: string; part: number }
  | { kind: 'finish'; tenantId: string; exportId: string };
