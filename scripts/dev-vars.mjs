// Creates .dev.vars with fresh random secrets when it is missing; never overwrites an existing one.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function ensureDevVars(path = '.dev.vars') {
  if (existsSync(path)) return false;
  const lines = [
    `PLATFORM_ADMIN_TOKEN=${randomBytes(24).toString('base64url')}`,
    `MASTER_KEY=${randomBytes(32).toString('base64')}`,
  ];
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return true;
}

/** The variables in .dev.vars, as an object. */
export function readDevVars(path = '.dev.vars') {
  const vars = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (match) vars[match[1]] = match[2].replace(/^"(.*)"$/, '$1');
  }
  return vars;
}
