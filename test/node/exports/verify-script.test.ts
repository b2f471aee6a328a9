/**
 * The script an export carries to check its audit chain offline agrees with the chain the log writes
 * (src/audit/chain.ts): version-1 and version-2 entries, erased fields, and it names the first tampered entry.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AuditEntry, chainHash, GENESIS, sealEntry } from '../../../src/audit/chain';
import { withoutSecrets } from '../../../src/exports/redact';
import { safeEntryName } from '../../../src/exports/keys';
import { VERIFY_SCRIPT } from '../../../src/exports/verify-script';

async function chain(): Promise<AuditEntry[]> {
  const legacy = { id: 'e0', at: '2026-01-01T00:00:00.000Z', actor: 'key:k1', ip: '198.51.100.1', country: 'NL', action: 'settings.update', target: 'settings', beforeDigest: '', afterDigest: 'ab', prevHash: GENESIS, v: 1 as const, commitments: null, salts: null };
  const entries: AuditEntry[] = [{ ...legacy, hash: await chainHash(GENESIS, legacy) }];
  for (let i = 1; i <= 3; i++) {
    const input = { actor: 'user:u1', ip: `203.0.113.${i}`, country: 'FR', action: 'file.update', target: `file:f${i}`, beforeDigest: 'b', afterDigest: 'c' };
    entries.push(await sealEntry(input, entries[i - 1]!.hash, `e${i}`, `2026-01-0${i + 1}T00:00:00.000Z`));
  }
  return entries;
}

function run(entries: AuditEntry[]): { status: number; out: Record<string, unknown> } {
  const dir = mkdtempSync(join(tmpdir(), 'verify-audit-'));
  writeFileSync(join(dir, 'verify-audit.mjs'), VERIFY_SCRIPT);
  writeFileSync(join(dir, 'audit-log.jsonl'), entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  try {
    const out = execFileSync(process.execPath, ['verify-audit.mjs', 'audit-log.jsonl'], { cwd: dir, encoding: 'utf8' });
    return { status: 0, out: JSON.parse(out) };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { status: e.status, out: JSON.parse(e.stdout) };
  }
}

describe('the offline audit verification script', () => {
  it('accepts the chain the log writes, before and after a field is erased', async () => {
    const entries = await chain();
    expect(run(entries)).toEqual({ status: 0, out: { ok: true, count: 4, head: entries[3]!.hash } });
    // Erasure as the log does it: the value becomes a pseudonym and its salt goes.
    const erased = entries.map((e) => (e.v === 2 ? { ...e, actor: 'user:anon-1', ip: '', salts: { ...e.salts!, actor: null, ip: null } } : e));
    expect(run(erased)).toEqual({ status: 0, out: { ok: true, count: 4, head: entries[3]!.hash } });
  });

  it('names the first entry whose content, commitment or link was changed', async () => {
    const entries = await chain();
    const edited = entries.map((e) => (e.id === 'e2' ? { ...e, target: 'file:other' } : e));
    expect(run(edited)).toMatchObject({ status: 1, out: { ok: false, brokenAt: 'e2', reason: 'target does not match its commitment' } });
    const legacyEdited = entries.map((e) => (e.id === 'e0' ? { ...e, ip: '198.51.100.2' } : e));
    expect(run(legacyEdited)).toMatchObject({ status: 1, out: { ok: false, brokenAt: 'e0' } });
    expect(run(entries.filter((e) => e.id !== 'e1'))).toMatchObject({ status: 1, out: { ok: false, brokenAt: 'e2', reason: 'prevHash does not match the entry before it' } });
  });
});

describe('what an export writes', () => {
  it('drops keys that name secrets wherever they are, and keeps the rest', () => {
    const config = { settings: { q: 80, backup: { bucket: 'b', secretAccessKey: 's', accessKeyId: 'a' } }, list: [{ clientSecret: 'x', name: 'n' }], webhookSecretCiphertext: 'c', publicKey: 'public_1' };
    expect(withoutSecrets(config)).toEqual({ settings: { q: 80, backup: { bucket: 'b' } }, list: [{ name: 'n' }], publicKey: 'public_1' });
  });

  it('zip entry names from file names never climb out of their folder', () => {
    expect(safeEntryName('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(safeEntryName('..')).toBe('_..');
    expect(safeEntryName('a\\b.jpg')).toBe('a_b.jpg');
    expect(safeEntryName('photo.jpg')).toBe('photo.jpg');
  });
});
