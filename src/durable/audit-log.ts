/**
 * One append-only audit log per tenant, in the Durable Object's SQLite. Entries are hash-chained
 * (src/audit/chain.ts), so removing or editing any entry breaks every hash after it, and `verify` names the
 * first entry that no longer matches. A person's identity in it can be replaced by a pseudonym (`pseudonymise`)
 * without breaking the chain.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { type AuditEntry, type AuditInput, type Commitments, entryFault, GENESIS, PERSONAL_FIELDS, type Salts, sealEntry } from '../audit/chain';

export type { AuditEntry, AuditInput } from '../audit/chain';
export { GENESIS } from '../audit/chain';

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

/** What erasing a person's identity changed: entries pseudonymised, and older entries it could not change. */
export interface Pseudonymised {
  entries: number;
  legacyEntries: number;
}

/** Columns stored as they are, by entry field. */
const PLAIN = ['id', 'at', 'actor', 'ip', 'country', 'action', 'target', 'beforeDigest', 'afterDigest', 'prevHash', 'hash', 'v'] as const;
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

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
    // Chain version 2 (src/audit/chain.ts): a log from before it keeps its entries as version 1.
    const columns = new Set(this.sql.exec<{ name: string }>('PRAGMA table_info(entries)').toArray().map((c) => c.name));
    if (!columns.has('v')) {
      this.sql.exec('ALTER TABLE entries ADD COLUMN v INTEGER NOT NULL DEFAULT 1');
      this.sql.exec('ALTER TABLE entries ADD COLUMN commitments TEXT');
      this.sql.exec('ALTER TABLE entries ADD COLUMN salts TEXT');
    }
  }

  append(input: AuditInput): Promise<AuditEntry> {
    const run = this.tail.then(() => this.appendNow(input));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async appendNow(input: AuditInput): Promise<AuditEntry> {
    const last = this.sql.exec<Row>('SELECT hash FROM entries ORDER BY seq DESC LIMIT 1').toArray()[0];
    const entry = await sealEntry(input, last?.hash ?? GENESIS, crypto.randomUUID(), new Date().toISOString());
    this.sql.exec(
      `INSERT INTO entries (${PLAIN.map(column).join(', ')}, commitments, salts) VALUES (${PLAIN.map(() => '?').join(', ')}, ?, ?)`,
      ...PLAIN.map((field) => entry[field]),
      JSON.stringify(entry.commitments),
      JSON.stringify(entry.salts),
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
    return this.page(where, args, query.limit);
  }

  /** The entries `ref` (e.g. `user:<id>`) made or was the target of, oldest first: what a person may ask to see. */
  about(ref: string, limit: number, cursor?: string): { entries: AuditEntry[]; nextCursor: string | null } {
    return this.page(['seq > ?', '(actor = ? OR target = ?)'], [Number(cursor ?? 0), ref, ref], limit);
  }

  private page(where: string[], args: SqlStorageValue[], limit: number): { entries: AuditEntry[]; nextCursor: string | null } {
    const rows = this.sql.exec<Row>(`SELECT * FROM entries WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, ...args, limit + 1).toArray();
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? String(page[page.length - 1]!.seq) : null;
    return { entries: page.map(toEntry), nextCursor };
  }

  /** Recomputes the whole chain. */
  async verify(): Promise<AuditVerification> {
    let prevHash = GENESIS;
    let count = 0;
    for (const row of this.sql.exec<Row>('SELECT * FROM entries ORDER BY seq')) {
      const entry = toEntry(row);
      count++;
      const fault = await entryFault(entry, prevHash);
      if (fault) return { ok: false, count, head: prevHash, brokenAt: entry.id, reason: fault };
      prevHash = entry.hash;
    }
    return { ok: true, count, head: prevHash };
  }

  /**
   * Replaces `ref` (e.g. `user:<id>`) by `pseudonym` wherever it is the actor or the target, and blanks the
   * actor's ip and country in the entries it made, dropping those fields' salts. The chain hashes only the
   * fields' commitments, so it verifies as before. Version-1 entries hash the values themselves: they are
   * counted and left as they are.
   */
  pseudonymise(ref: string, pseudonym: string): Pseudonymised {
    let entries = 0;
    this.ctx.storage.transactionSync(() => {
      for (const row of this.sql.exec<Row>('SELECT * FROM entries WHERE v = 2 AND (actor = ? OR target = ?)', ref, ref).toArray()) {
        const entry = toEntry(row);
        const salts = { ...entry.salts! };
        const values = { actor: entry.actor, ip: entry.ip, country: entry.country, target: entry.target };
        if (entry.actor === ref) Object.assign(values, { actor: pseudonym, ip: '', country: '' });
        if (entry.target === ref) values.target = pseudonym;
        for (const field of PERSONAL_FIELDS) if (values[field] !== entry[field]) salts[field] = null;
        this.sql.exec(
          'UPDATE entries SET actor = ?, ip = ?, country = ?, target = ?, salts = ? WHERE seq = ?',
          values.actor, values.ip, values.country, values.target, JSON.stringify(salts), row.seq,
        );
        entries++;
      }
    });
    const legacy = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM entries WHERE v = 1 AND (actor = ? OR target = ?)', ref, ref).one().n;
    return { entries, legacyEntries: Number(legacy) };
  }

  /** Erases the whole log (tenant deletion). */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
    // The object may live on after the erase; it answers as an empty log, not with SQL errors.
    this.createSchema();
  }
}

function toEntry(row: Row): AuditEntry {
  const plain = Object.fromEntries(PLAIN.map((field) => [field, row[column(field)]])) as unknown as AuditEntry;
  const v = Number(row.v) === 2 ? 2 : 1;
  return {
    ...plain,
    v,
    commitments: v === 2 ? (JSON.parse(String(row.commitments)) as Commitments) : null,
    salts: v === 2 ? (JSON.parse(String(row.salts)) as Salts) : null,
  };
}
