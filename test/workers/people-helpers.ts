/**
 * The dashboard's people flows, driven as a browser would: same-origin requests, the session cookie, and the
 * mails the Worker sent, read back from the mail catcher (scripts/mail-outbox.mjs, started by the pool config).
 */
import { env, SELF } from 'cloudflare:test';
import { ADMIN } from './admin-helpers';
import { ORIGIN } from './helpers';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  at: string;
}

const outbox = () => new URL('/messages', env.MAIL_API_URL).href;

/** Every mail sent to `to` so far, oldest first. */
export async function mailsTo(to: string): Promise<Mail[]> {
  const all = (await (await fetch(outbox())).json()) as Mail[];
  return all.filter((m) => m.to === to.toLowerCase());
}

/** The newest mail to `to` whose subject matches, waiting briefly for it. */
export async function lastMail(to: string, subject: RegExp): Promise<Mail> {
  for (let i = 0; i < 50; i++) {
    const found = (await mailsTo(to)).filter((m) => subject.test(m.subject)).at(-1);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to} matching ${subject}`);
}

export const tokenIn = (mail: Mail) => decodeURIComponent(/token=([^\s"&<]+)/.exec(mail.text)![1]!);
export const codeIn = (mail: Mail) => /\b(\d{6})\b/.exec(mail.subject)![1]!;

/** A request to the dashboard's API from its own page: same origin, the cookie if any, JSON bodies. */
export function app(path: string, init: RequestInit & { json?: unknown; cookie?: string; csrf?: string; origin?: string | null } = {}): Promise<Response> {
  const { json, cookie, csrf, origin, ...rest } = init;
  const headers: Record<string, string> = { ...(rest.headers as Record<string, string>) };
  if (origin !== null) headers.Origin = origin ?? ORIGIN;
  if (cookie) headers.Cookie = cookie;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  return SELF.fetch(`${ORIGIN}/app/api${path}`, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json), redirect: 'manual' });
}

/** Every Set-Cookie of a response, one string each (workerd has getSetCookie; its types do not name it yet). */
export const setCookies = (res: Response): string[] => (res.headers as unknown as { getSetCookie(): string[] }).getSetCookie();

/** `name=value` of the session cookie a response set. */
export function sessionCookieOf(res: Response): string {
  const set = setCookies(res).find((c) => c.startsWith('edgepix_session='));
  if (!set) throw new Error('no session cookie');
  return set.split(';')[0]!;
}

let counter = 0;
export const uniqueEmail = (who = 'user') => `${who}-${Date.now().toString(36)}-${counter++}@example.com`;
export const PASSWORD = 'correct horse battery';

export interface SignedIn {
  tenantId: string;
  privateKey: string;
  email: string;
  userId: string;
  cookie: string;
  csrf: string;
}

/** Accepts the invitation mailed to `email` with a password. */
export async function acceptInvitation(email: string, password = PASSWORD): Promise<Response> {
  const token = tokenIn(await lastMail(email, /invited/));
  return app('/auth/accept-invite', { method: 'POST', json: { token, name: 'Pat', password } });
}

/** Password, then the emailed code: a session. */
export async function signIn(tenantId: string, email: string, password = PASSWORD): Promise<{ cookie: string; csrf: string; userId: string }> {
  const login = await app('/auth/login', { method: 'POST', json: { tenant: tenantId, email, password } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { challenge } = (await login.json()) as { challenge: string };
  const code = codeIn(await lastMail(email, /sign-in code/));
  const mfa = await app('/auth/mfa', { method: 'POST', json: { challenge, code } });
  if (mfa.status !== 200) throw new Error(`mfa: ${mfa.status} ${await mfa.text()}`);
  const body = (await mfa.json()) as { csrfToken: string; user: { id: string } };
  return { cookie: sessionCookieOf(mfa), csrf: body.csrfToken, userId: body.user.id };
}

/** A tenant made by the operator with an invited owner, who accepted and signed in. */
export async function tenantWithOwner(): Promise<SignedIn> {
  const email = uniqueEmail('owner');
  const tenantId = `ppl-${Date.now().toString(36)}-${counter++}`;
  const res = await SELF.fetch(`${ORIGIN}/admin/v1/tenants`, {
    method: 'POST',
    headers: { ...ADMIN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: tenantId, owner: { email, name: 'Owner' } }),
  });
  if (res.status !== 201) throw new Error(`create tenant: ${res.status} ${await res.text()}`);
  const { privateKey } = (await res.json()) as { privateKey: string };
  const accepted = await acceptInvitation(email);
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
  return { tenantId, privateKey, email, ...(await signIn(tenantId, email)) };
}

/** An invited user of `role` in the owner's tenant, accepted and signed in. */
export async function addUser(owner: SignedIn, role: string): Promise<SignedIn> {
  const email = uniqueEmail(role);
  const res = await app('/v1/accounts/users', { method: 'POST', cookie: owner.cookie, csrf: owner.csrf, json: { email, name: role, role } });
  if (res.status !== 201) throw new Error(`invite: ${res.status} ${await res.text()}`);
  const accepted = await acceptInvitation(email);
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
  return { tenantId: owner.tenantId, privateKey: owner.privateKey, email, ...(await signIn(owner.tenantId, email)) };
}
