/** Client-side upload tokens already used: each works once, even when the upload it came with failed. */
import { first } from './sql';

export class TokenLedger {
  constructor(private readonly sql: SqlStorage) {}

  /** Records `token`; false when it was seen before. Expired entries are dropped on the way. */
  claim(token: string, expiresAt: number, now: number): boolean {
    this.sql.exec('DELETE FROM used_tokens WHERE expires_at < ?', now);
    if (first(this.sql, 'SELECT 1 AS x FROM used_tokens WHERE token = ?', token)) return false;
    this.sql.exec('INSERT INTO used_tokens (token, expires_at) VALUES (?, ?)', token, expiresAt);
    return true;
  }
}
