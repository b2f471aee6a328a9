// The demo tenant's owner for the dashboard: invited through the operator API, the invitation read from the local
// mail outbox and accepted with a generated password, kept in .wrangler/demo-credentials.json beside the key pair.
// When the owner exists but its password is not known here (state from an older run), a password reset does the same.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

export const DEMO_OWNER_EMAIL = 'owner@demo.local';

export async function ensureDemoOwner({ base, tenant, adminToken, credentialsPath, outbox }) {
  const credentials = JSON.parse(readFileSync(credentialsPath, 'utf8'));
  if (credentials.owner?.password) return credentials.owner;
  const email = DEMO_OWNER_EMAIL;
  const password = randomBytes(15).toString('base64url');
  const invited = await fetch(`${base}/admin/v1/tenants/${tenant}/owners`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, name: 'Demo owner' }),
  });
  if (invited.status === 201) {
    await post(base, '/app/api/auth/accept-invite', { token: tokenOf(outbox, email, /invited/), name: 'Demo owner', password });
  } else if (invited.status === 409) {
    await post(base, '/app/api/auth/reset-request', { tenant, email });
    await post(base, '/app/api/auth/reset', { token: tokenOf(outbox, email, /Reset/), password });
  } else {
    throw new Error(`inviting the demo owner failed: ${invited.status} ${await invited.text()}`);
  }
  credentials.owner = { email, password };
  writeFileSync(credentialsPath, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials.owner;
}

function tokenOf(outbox, to, subject) {
  const mail = [...outbox.messages].reverse().find((m) => m.to === to && subject.test(m.subject));
  if (!mail) throw new Error(`no mail to ${to} in the outbox`);
  return decodeURIComponent(/token=([^\s&"<]+)/.exec(mail.text)[1]);
}

async function post(base, path, body) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Origin: base, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}
