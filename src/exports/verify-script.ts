/**
 * The script an export carries beside its audit log, so the chain can be checked offline with Node alone and
 * nothing of edgepix: it recomputes every hash as src/audit/chain.ts makes them (test/node/exports checks that
 * the two agree, entry versions 1 and 2, erased fields included).
 */
export const VERIFY_SCRIPT_NAME = 'verify-audit.mjs';

export const VERIFY_SCRIPT = `// Checks the hash chain of an edgepix audit log export: node verify-audit.mjs [audit-log.jsonl]
// Prints {"ok":true,"count":N,"head":"<hash>"} (compare head with GET /v1/accounts/audit-logs/verify), or names
// the first entry that does not match and exits with status 1.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
const PERSONAL = ['actor', 'ip', 'country', 'target'];
let prev = '0'.repeat(64);
let count = 0;
for (const line of readFileSync(process.argv[2] ?? 'audit-log.jsonl', 'utf8').split('\\n')) {
  if (line.trim() === '') continue;
  const e = JSON.parse(line);
  count++;
  const broken = (reason) => {
    console.log(JSON.stringify({ ok: false, count, brokenAt: e.id, reason }));
    process.exit(1);
  };
  if (e.prevHash !== prev) broken('prevHash does not match the entry before it');
  let canonical;
  if (e.v === 2) {
    // Personal fields are hashed as salted commitments; an erased field has no salt and shows a pseudonym.
    for (const f of PERSONAL) {
      const salt = e.salts[f];
      if (salt && sha256(JSON.stringify([f, salt, e[f]])) !== e.commitments[f]) broken(f + ' does not match its commitment');
    }
    const c = e.commitments;
    canonical = JSON.stringify([e.id, e.at, c.actor, c.ip, c.country, e.action, c.target, e.beforeDigest, e.afterDigest, e.prevHash, 2]);
  } else {
    canonical = JSON.stringify([e.id, e.at, e.actor, e.ip, e.country, e.action, e.target, e.beforeDigest, e.afterDigest, e.prevHash]);
  }
  if (sha256(prev + canonical) !== e.hash) broken('hash does not match the entry content');
  prev = e.hash;
}
console.log(JSON.stringify({ ok: true, count, head: prev }));
`;
