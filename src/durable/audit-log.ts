/**
 * One append-only audit log per tenant, in the Durable Object's SQLite. Entries are hash-chained:
 * hash = SHA-256(prevHash ‖ the entry's canonical JSON), so removing or editing any entry breaks every
 * hash after it, and `verify` names the first entry that no longer matches.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { sha256Hex } from '../security/crypto';

export interface AuditInput {
  actor: string;
  ip: string;
  country: string;
  action: string;
  target: string;
  /** SHA-256 of the state before / after the change (or '' when there is none). */
  beforeDigest: string;
  afterDigest: string;
}

export interface AuditEntry extends AuditInput {
  id: string;
  at: string;
  hash: string;
  prevHash: string;
}

export interface AuditQuery {
  since?: string;
  until?: string;
  action?: string;
  limit: number;
  cursor?: string;
}

export type AuditVerification =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; head: string; brokenAt: string; reason: string };

export const GENESIS = '0'.repeat(64);

/** Every field of an entry but its hash, in the order they are hashed and stored. */
const FIELDS = ['id', 'at', 'actor', 'ip', 'country', 'action', 'target', 'beforeDigest', 'afterDigest', 'prevHash'] as const;
const STORED = [...FIELDS, 'hash'] as const;
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The bytes that are hashed: every field but the hash itself, in a fixed order. */
export function canonicalEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return JSON.stringify(FIELDS.map((field) => entry[field]));
}

export const chainHash = (prevHash: string, entry: Omit<AuditEntry, 'hash'>) =>
  sha256Hex(prevHash + canonicalEntry(entry));

/** A stored entry: its columns (`column(field)`) and the sequence number that orders the log. */
interface Row extends Record<string, SqlStorageValue> {
  seq: number;
  hash: string;
}

export class AuditLog extends DurableObject<Env> {
  private sql: SqlStorage;
  /** Appends run one after another: each needs the hash the previous one wrote. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.createSchema();
  }

  private createSchema(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS entries (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE, at TEXT NOT NULL, actor TEXT NOT NULL, ip TEXT NOT NULL, country TEXT NOT NULL,
      action TEXT NOT NULL, target TEXT NOT NULL, before_digest TEXT NOT NULL, after_digest TEXT NOT NULL,
      prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`);
    this.sql.exec('CREATE INDEX IF NOT EXISTS entries_at ON entries (at)');
  }

  append(input: AuditInput): Promise<AuditEntry> {
    const run = this.tail.then(() => this.appendNow(input));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(input: AuditInput): Promise<AuditEntry> {
    const last = this.sql.exec<Row>('SELECT hash FROM entries ORDER BY seq DESC LIMIT 1').toArray()[0];
    const prevHash = last?.hash ?? GENESIS;
    const unsigned = { ...input, id: crypto.randomUUID(), at: new Date().toISOString(), prevHash };
    const entry: AuditEntry = { ...unsigned, hash: await chainHash(prevHash, unsigned) };
    this.sql.exec(
      `INSERT INTO entries (${STORED.map(column).join(', ')}) VALUES (${STORED.map(() => '?').join(', ')})`,
      ...STORED.map((field) => entry[field]),
    );
    return entry;
  }

  /** Oldest first; the cursor is the sequence number to continue after. */
  list(query: AuditQuery): { entries: AuditEntry[]; nextCursor: string | null } {
    const where: string[] = ['seq > ?'];
    const args: SqlStorageValue[] = [Number(query.cursor ?? 0)];
    const filters: [string, string | undefined][] = [
      ['at >= ?', query.since],
      ['at <= ?', query.until],
      ['action = ?', query.action],
    ];
    for (const [clause, value] of filters) {
      if (value === undefined) continue;
      where.push(clause);
      args.push(value);
    }
    const rows = this.sql
      .exec<Row>(`SELECT * FROM entries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, ...args, query.limit + 1)
      .toArray();
    const page = rows.slice(0, query.limit);
    const nextCursor = rows.length > query.limit ? String(page[page.length - 1]!.seq) : null;
    return { entries: page.map(toEntry), nextCursor };
  }

  /** Recomputes the whole chain. */
  async verify(): Promise<AuditVerification> {
    let prevHash = GENESIS;
    let count = 0;
    for (const row of this.sql.exec<Row>('SELECT * FROM entries ORDER BY seq')) {
      const entry = toEntry(row);
      count++;
      if (entry.prevHash !== prevHash) {
        return { ok: false, count, head: prevHash, brokenAt: entry.id, reason: 'prevHash does not match the entry before it' };
      }
      const expected = await chainHash(prevHash, entry);
      if (expected !== entry.hash) {
        return { ok: false, count, head: prevHash, brokenAt: entry.id, reason: 'hash does not match the entry content' };
      }
      prevHash = entry.hash;
    }
    return { ok: true, count, head: prevHash };
  }

  /** Erases the whole log (tenant deletion). */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
    // The object may live on after the erase; it answers as an empty log, not with SQL errors.
    this.createSchema();
  }
}

function toEntry(row: Row): AuditEntry {
  return Object.fromEntries(STORED.map((field) => [field, row[column(field)]])) as unknown as AuditEntry;
}
