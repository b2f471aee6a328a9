/**
 * The emailed links of the dashboard: accepting an invitation (the invitee sets a name and password) and resetting
 * a password. Both tokens are single use and expire; a reset ends every session of the user.
 */
import type { IRequest, RouterType } from 'itty-router';
import { clientInfo } from '../audit/actor';
import { recordAudit } from '../audit/record';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { resetMail } from '../mail/messages';
import { mailerFor } from '../mail/mailer';
import type { TokenPurpose } from '../durable/accounts';
import { accountsOf } from '../people/client';
import { displayName, email as emailField } from '../people/fields';
import { dashboardLink } from '../people/invitations';
import { checkPasswordPolicy, hashPassword } from '../people/passwords';
import { RESET_TTL_MS } from '../people/policy';
import { newTenantToken, tenantOfToken, tokenDigest } from '../people/tokens';
import { loadTenant } from '../tenants/store';
import { checkField, text } from '../validate/fields';
import { readJsonObject } from './body';
import { countSignInAttempt, requireSameOrigin } from './app-guard';
import { json } from './respond';

const deadLink = () => new HttpError(400, 'This link is invalid, used or expired', 'Ask for a new invitation or password reset.');

export function registerAppRecoveryRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post('/app/api/auth/accept-invite', (request: IRequest, env: Env) => redeem(request, env, 'invite'));
  router.post('/app/api/auth/reset', (request: IRequest, env: Env) => redeem(request, env, 'reset'));
  router.post('/app/api/auth/reset-request', requestReset);
}

async function redeem(request: IRequest, env: Env, purpose: TokenPurpose): Promise<Response> {
  requireSameOrigin(request);
  const body = await readJsonObject(request);
  const token = checkField(body, 'token', text('the token of the emailed link', { max: 200, nonBlank: true }));
  const name = purpose === 'invite' && body.name !== undefined ? checkField(body, 'name', displayName) : null;
  const tenantId = tenantOfToken(token);
  const tenant = tenantId ? await loadTenant(env, tenantId) : null;
  if (!tenant) throw deadLink();
  await countSignInAttempt(request, env, tenant.id);
  const accounts = accountsOf(env, tenant.id);
  const hash = await tokenDigest(token);
  // Read first, so a password the policy refuses does not use the link up.
  const holder = await accounts.tokenUser(hash, purpose);
  if (!holder) throw deadLink();
  const password = checkPasswordPolicy(body.password, holder.email);
  const user = await accounts.redeemToken(hash, purpose, await hashPassword(password), name);
  if (!user) throw deadLink();
  await recordAudit(env, tenant.id, {
    actor: { kind: 'user', userId: user.id },
    client: clientInfo(request),
    action: purpose === 'invite' ? 'user.accept-invite' : 'user.password-reset',
    target: `user:${user.id}`,
  });
  return json({ tenant: tenant.id, email: user.email });
}

/** Always 202, whether or not the email belongs to anyone: the answer must not tell who has an account. */
async function requestReset(request: IRequest, env: Env): Promise<Response> {
  requireSameOrigin(request);
  const body = await readJsonObject(request);
  const tenantId = checkField(body, 'tenant', text('a tenant id', { max: 63, nonBlank: true }));
  const address = checkField(body, 'email', emailField);
  const tenant = await loadTenant(env, tenantId);
  // Over the IP's budget nothing is sent, and the answer is still the same 202.
  if (tenant && !tenant.sso?.required && (await countSignInAttempt(request, env, tenant.id).then(() => true, () => false))) {
    const accounts = accountsOf(env, tenant.id);
    const user = await accounts.userByEmail(address);
    if (user?.status === 'active') {
      const token = newTenantToken(tenant.id);
      await accounts.issueToken(await tokenDigest(token), 'reset', user.id, Date.now() + RESET_TTL_MS);
      const link = dashboardLink(new URL(request.url).origin, 'reset', token);
      await mailerFor(env).send(resetMail(user.email, tenant.id, link, RESET_TTL_MS / 60_000));
      await recordAudit(env, tenant.id, { actor: { kind: 'user', userId: user.id }, client: clientInfo(request), action: 'user.reset-request', target: `user:${user.id}` });
    }
  }
  return json({ message: 'If the address belongs to an active user, a reset link is on its way.' }, 202);
}
