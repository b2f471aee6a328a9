/**
 * A tenant's people, in one Durable Object per tenant (its SQLite): users, their sessions, invitation and reset
 * tokens, emailed sign-in codes and SSO flows in progress. One object per tenant is the isolation (every query
 * here is of that tenant only), and one object serialises what must not race: a code used once, a token used
 * once, the last owner kept, a session revoked before the next request reads it.
 *
 * Secrets never reach this storage in clear: passwords arrive hashed (src/people/passwords.ts), and tokens,
 * session ids and codes are kept as SHA-256 digests.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import type { Role } from '../people/roles';

export type UserStatus = 'invited' | 'active' | 'disabled';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  /** How the user last signed in: null before the first sign-in. */
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Whether a password is set (the hash itself never leaves the object but to verify it). */
  hasPassword: boolean;
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  via: 'password' | 'sso';
}

export type TokenPurpose = 'invite' | 'reset';

export type ChallengeOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'wrong' | 'locked'; userId?: string; lockedNow?: boolean };

/** Consecutive failures (passwords or codes) that lock a user, and for how long. */
export interface LockPolicy {
  maxFailures: number;
  lockMs: number;
}

type Row = Record<string, SqlStorageValue>;

export class Accounts extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.migrate();
  }

  private migrate(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL, status TEXT NOT NULL,
        password_hash TEXT, failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
        last_login_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS tokens (
        hash TEXT PRIMARY KEY, purpose TEXT NOT NULL, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS challenges (
        hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, code_hash TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS sessions (
        hash TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, csrf TEXT NOT NULL, via TEXT NOT NULL,
        created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id);
      CREATE TABLE IF NOT EXISTS sso_flows (
        hash TEXT PRIMARY KEY, verifier TEXT NOT NULL, nonce TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `);
  }

  // ---- users

  listUsers(): UserRecord[] {
    return this.sql.exec('SELECT * FROM users ORDER BY created_at, id').toArray().map(toUser);
  }

  user(id: string): UserRecord | null {
    const row = this.sql.exec('SELECT * FROM users WHERE id = ?', id).toArray()[0];
    return row ? toUser(row) : null;
  }

  userByEmail(email: string): UserRecord | null {
    const row = this.sql.exec('SELECT * FROM users WHERE email = ?', email.toLowerCase()).toArray()[0];
    return row ? toUser(row) : null;
  }

  /** The stored hash, only to verify a password in the Worker; null when none is set. */
  passwordHash(id: string): string | null {
    const row = this.sql.exec('SELECT password_hash FROM users WHERE id = ?', id).toArray()[0];
    return (row?.password_hash as string | null) ?? null;
  }

  /** Until when the user is locked out (epoch ms), 0 when not. */
  lockedUntil(id: string, now = Date.now()): number {
    const row = this.sql.exec('SELECT locked_until FROM users WHERE id = ?', id).toArray()[0];
    const until = Number(row?.locked_until ?? 0);
    return until > now ? until : 0;
  }

  /** A new user, or null when the email is taken. */
  createUser(input: { id: string; email: string; name: string; role: Role; status: UserStatus }, now = new Date()): UserRecord | null {
    const email = input.email.toLowerCase();
    if (this.sql.exec('SELECT 1 FROM users WHERE email = ?', email).toArray().length > 0) return null;
    const at = now.toISOString();
    this.sql.exec(
      'INSERT INTO users (id, email, name, role, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      input.id,
      email,
      input.name,
      input.role,
      input.status,
      at,
      at,
    );
    return this.user(input.id);
  }

  /**
   * Changes a user's name, role or status. `last-owner` when the change would leave the tenant without an
   * active owner; disabling ends the user's sessions.
   */
  updateUser(
    id: string,
    patch: { name?: string; role?: Role; status?: UserStatus },
    now = new Date(),
  ): { before: UserRecord; after: UserRecord } | 'not-found' | 'last-owner' {
    const before = this.user(id);
    if (!before) return 'not-found';
    const after = { ...before, ...patch };
    const wasOwner = before.role === 'owner' && before.status === 'active';
    const staysOwner = after.role === 'owner' && after.status === 'active';
    if (wasOwner && !staysOwner && this.activeOwners() <= 1) return 'last-owner';
    this.sql.exec('UPDATE users SET name = ?, role = ?, status = ?, updated_at = ? WHERE id = ?', after.name, after.role, after.status, now.toISOString(), id);
    if (after.status === 'disabled') this.endSessionsOf(id);
    return { before, after: this.user(id)! };
  }

  /** Removes a user with everything of theirs (sessions, tokens, codes); never the last active owner. */
  deleteUser(id: string): UserRecord | 'not-found' | 'last-owner' {
    const before = this.user(id);
    if (!before) return 'not-found';
    if (before.role === 'owner' && before.status === 'active' && this.activeOwners() <= 1) return 'last-owner';
    this.ctx.storage.transactionSync(() => {
      this.sql.exec('DELETE FROM users WHERE id = ?', id);
      this.sql.exec('DELETE FROM tokens WHERE user_id = ?', id);
      this.sql.exec('DELETE FROM challenges WHERE user_id = ?', id);
      this.sql.exec('DELETE FROM sessions WHERE user_id = ?', id);
    });
    return before;
  }

  private activeOwners(): number {
    return Number(this.sql.exec("SELECT count(*) AS n FROM users WHERE role = 'owner' AND status = 'active'").one().n);
  }

  /** Counts a failed password or code; locks the user at `maxFailures`. `lockedNow` is true only on the failure that locked. */
  recordFailure(id: string, policy: LockPolicy, now = Date.now()): { lockedNow: boolean; lockedUntil: number } {
    const row = this.sql.exec('SELECT failures, locked_until FROM users WHERE id = ?', id).toArray()[0];
    if (!row) return { lockedNow: false, lockedUntil: 0 };
    if (Number(row.locked_until) > now) return { lockedNow: false, lockedUntil: Number(row.locked_until) };
    const failures = Number(row.failures) + 1;
    if (failures >= policy.maxFailures) {
      const until = now + policy.lockMs;
      this.sql.exec('UPDATE users SET failures = 0, locked_until = ? WHERE id = ?', until, id);
      // A locked user's codes die with the lock: a new sign-in starts over once it ends.
      this.sql.exec('DELETE FROM challenges WHERE user_id = ?', id);
      return { lockedNow: true, lockedUntil: until };
    }
    this.sql.exec('UPDATE users SET failures = ? WHERE id = ?', failures, id);
    return { lockedNow: false, lockedUntil: 0 };
  }

  // ---- invitation and reset tokens (single use, expiring)

  issueToken(hash: string, purpose: TokenPurpose, userId: string, expiresAt: number): void {
    // One live token per user and purpose: a new invitation or reset voids the previous link.
    this.sql.exec('DELETE FROM tokens WHERE user_id = ? AND purpose = ?', userId, purpose);
    this.sql.exec('INSERT INTO tokens (hash, purpose, user_id, expires_at) VALUES (?, ?, ?, ?)', hash, purpose, userId, expiresAt);
  }

  /** The user a live token belongs to, without using it up. */
  tokenUser(hash: string, purpose: TokenPurpose, now = Date.now()): UserRecord | null {
    const row = this.sql.exec('SELECT user_id FROM tokens WHERE hash = ? AND purpose = ? AND expires_at > ?', hash, purpose, now).toArray()[0];
    return row ? this.user(row.user_id as string) : null;
  }

  /**
   * Uses a token up and sets the user's password (and name, for an invitation): the user becomes active, any
   * lock is lifted and, for a reset, every session ends. Null when the token is unknown, used or expired.
   */
  redeemToken(hash: string, purpose: TokenPurpose, passwordHash: string, name: string | null, now = new Date()): UserRecord | null {
    const user = this.tokenUser(hash, purpose, now.getTime());
    if (!user || user.status === 'disabled') return null;
    this.ctx.storage.transactionSync(() => {
      this.sql.exec('DELETE FROM tokens WHERE hash = ?', hash);
      this.sql.exec(
        "UPDATE users SET password_hash = ?, name = ?, status = 'active', failures = 0, locked_until = 0, updated_at = ? WHERE id = ?",
        passwordHash,
        name ?? user.name,
        now.toISOString(),
        user.id,
      );
      if (purpose === 'reset') this.sql.exec('DELETE FROM sessions WHERE user_id = ?', user.id);
    });
    return this.user(user.id);
  }

  // ---- emailed sign-in codes

  createChallenge(hash: string, userId: string, codeHash: string, expiresAt: number): void {
    // One code at a time per user: asking again voids the previous code.
    this.sql.exec('DELETE FROM challenges WHERE user_id = ?', userId);
    this.sql.exec('INSERT INTO challenges (hash, user_id, code_hash, expires_at) VALUES (?, ?, ?, ?)', hash, userId, codeHash, expiresAt);
  }

  /**
   * Checks a code against its challenge in constant time. A right code is used up; a wrong one counts against
   * the challenge (`maxAttempts`) and against the user (the lock policy).
   */
  verifyChallenge(hash: string, codeHash: string, maxAttempts: number, policy: LockPolicy, now = Date.now()): ChallengeOutcome {
    const row = this.sql.exec('SELECT * FROM challenges WHERE hash = ?', hash).toArray()[0];
    if (!row) return { ok: false, reason: 'unknown' };
    const userId = row.user_id as string;
    if (Number(row.expires_at) <= now) {
      this.sql.exec('DELETE FROM challenges WHERE hash = ?', hash);
      return { ok: false, reason: 'expired', userId };
    }
    if (this.lockedUntil(userId, now)) return { ok: false, reason: 'locked', userId };
    const encoder = new TextEncoder();
    const expected = encoder.encode(row.code_hash as string);
    const given = encoder.encode(codeHash);
    const same = expected.byteLength === given.byteLength && crypto.subtle.timingSafeEqual(expected, given);
    if (same) {
      this.sql.exec('DELETE FROM challenges WHERE hash = ?', hash);
      this.sql.exec('UPDATE users SET failures = 0 WHERE id = ?', userId);
      return { ok: true, userId };
    }
    const attempts = Number(row.attempts) + 1;
    if (attempts >= maxAttempts) this.sql.exec('DELETE FROM challenges WHERE hash = ?', hash);
    else this.sql.exec('UPDATE challenges SET attempts = ? WHERE hash = ?', attempts, hash);
    const { lockedNow } = this.recordFailure(userId, policy, now);
    return { ok: false, reason: lockedNow ? 'locked' : 'wrong', userId, lockedNow };
  }

  // ---- sessions

  createSession(input: { hash: string; id: string; userId: string; csrf: string; via: 'password' | 'sso'; absoluteMs: number }, now = Date.now()): void {
    this.sql.exec(
      'INSERT INTO sessions (hash, id, user_id, csrf, via, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      input.hash,
      input.id,
      input.userId,
      input.csrf,
      input.via,
      now,
      now,
      now + input.absoluteMs,
    );
    this.sql.exec('UPDATE users SET last_login_at = ? WHERE id = ?', new Date(now).toISOString(), input.userId);
    // Expired sessions of anyone are swept as new ones are made.
    this.sql.exec('DELETE FROM sessions WHERE expires_at <= ?', now);
  }

  /**
   * The live session behind a digest and its user, marking it seen; null (and the session gone) when it has
   * expired (absolute or idle), or its user is no longer active.
   */
  touchSession(hash: string, idleMs: number, now = Date.now()): { sessionId: string; csrf: string; user: UserRecord } | null {
    const row = this.sql.exec('SELECT * FROM sessions WHERE hash = ?', hash).toArray()[0];
    if (!row) return null;
    const user = this.user(row.user_id as string);
    if (!user || user.status !== 'active' || Number(row.expires_at) <= now || Number(row.last_seen_at) + idleMs <= now) {
      this.sql.exec('DELETE FROM sessions WHERE hash = ?', hash);
      return null;
    }
    this.sql.exec('UPDATE sessions SET last_seen_at = ? WHERE hash = ?', now, hash);
    return { sessionId: row.id as string, csrf: row.csrf as string, user };
  }

  endSession(hash: string): void {
    this.sql.exec('DELETE FROM sessions WHERE hash = ?', hash);
  }

  /** Ends every session of a user ("sign out everywhere"); answers how many there were. */
  endSessionsOf(userId: string): number {
    return this.sql.exec('DELETE FROM sessions WHERE user_id = ?', userId).rowsWritten;
  }

  sessionsOf(userId: string, now = Date.now()): SessionView[] {
    return this.sql
      .exec('SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at', userId, now)
      .toArray()
      .map((row) => ({
        id: row.id as string,
        createdAt: new Date(Number(row.created_at)).toISOString(),
        lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
        expiresAt: new Date(Number(row.expires_at)).toISOString(),
        via: row.via as 'password' | 'sso',
      }));
  }

  // ---- SSO flows in progress

  startSsoFlow(hash: string, verifier: string, nonce: string, expiresAt: number): void {
    this.sql.exec('DELETE FROM sso_flows WHERE expires_at <= ?', Date.now());
    this.sql.exec('INSERT INTO sso_flows (hash, verifier, nonce, expires_at) VALUES (?, ?, ?, ?)', hash, verifier, nonce, expiresAt);
  }

  /** The flow of a state, used up: a state works once. */
  takeSsoFlow(hash: string, now = Date.now()): { verifier: string; nonce: string } | null {
    const row = this.sql.exec('SELECT * FROM sso_flows WHERE hash = ?', hash).toArray()[0];
    if (!row) return null;
    this.sql.exec('DELETE FROM sso_flows WHERE hash = ?', hash);
    return Number(row.expires_at) > now ? { verifier: row.verifier as string, nonce: row.nonce as string } : null;
  }

  /** Marks a user signed in through SSO as active (an invited user's first SSO sign-in accepts the invitation). */
  activate(id: string, now = new Date()): void {
    this.sql.exec("UPDATE users SET status = 'active', updated_at = ? WHERE id = ? AND status = 'invited'", now.toISOString(), id);
  }

  /** The tenant is gone: everything goes. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
    // The object may live on (a tenant made again under the same id): it answers as empty.
    this.migrate();
  }
}

function toUser(row: Row): UserRecord {
  return {
    id: row.id as string,
    email: row.email as string,
    name: row.name as string,
    role: row.role as Role,
    status: row.status as UserStatus,
    lastLoginAt: (row.last_login_at as string | null) ?? null,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
    hasPassword: row.password_hash !== null,
  };
}
