// Creates .dev.vars with fresh random secrets when it is missing; never overwrites an existing one.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';

export function ensureDevVars(path = '.dev.vars') {
  if (existsSync(path)) return false;
  const lines = [
    `PLATFORM_ADMIN_TOKEN=${randomBytes(24).toString('base64url')}`,
    `MASTER_KEY=${randomBytes(32).toString('base64')}`,
  ];
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return true;
}
