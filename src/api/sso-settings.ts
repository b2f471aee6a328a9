/**
 * `/v1/accounts/sso`: the tenant's OpenID Connect provider. The client secret is stored encrypted (AES-GCM under
 * MASTER_KEY, bound to the tenant, like private keys) and never returned. `required: true` turns password sign-in
 * and password resets off.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { role as roleField } from '../people/fields';
import { checkIssuer } from '../people/oidc';
import { encryptSecret } from '../security/crypto';
import type { SsoConfig } from '../tenants/config';
import { badField, boolean, checkField, isArrayOf, isString, text } from '../validate/fields';
import { readJsonObject } from './body';
import type { ApiContext } from './context';
import { json, noContent } from './respond';
import { changeTenant, settingsRoute } from './tenant-route';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const FIELDS = ['issuer', 'clientId', 'clientSecret', 'allowedDomains', 'defaultRole', 'required'];

export const ssoCallbackUrl = (requestUrl: string) => `${new URL(requestUrl).origin}/app/api/auth/sso/callback`;

export function registerSsoSettingsRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get('/v1/accounts/sso', settingsRoute('read', (ctx) => json(describeSso(ctx.tenant.sso, ctx.request.url))));
  router.put('/v1/accounts/sso', settingsRoute('read_write', putSso));
  router.delete('/v1/accounts/sso', settingsRoute('read_write', deleteSso));
}

/** What the API shows: everything but the secret, plus the redirect URI to register with the IdP. */
function describeSso(sso: SsoConfig | null, requestUrl: string) {
  const redirectUri = ssoCallbackUrl(requestUrl);
  if (!sso) return { enabled: false, redirectUri };
  const { clientSecretCiphertext: _secret, ...shown } = sso;
  return { enabled: true, ...shown, clientSecretSet: true, redirectUri };
}

async function putSso(ctx: ApiContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) throw badField(key, `one of ${FIELDS.join(', ')}`);
  const issuer = checkField(body, 'issuer', text('the issuer URL of your IdP', { max: 500, nonBlank: true })).trim().replace(/\/$/, '');
  checkIssuer(ctx.env, issuer);
  const clientId = checkField(body, 'clientId', text('the client id the IdP gave', { max: 500, nonBlank: true })).trim();
  const secret = body.clientSecret === undefined ? undefined : checkField(body, 'clientSecret', text('the client secret the IdP gave', { max: 1000, nonBlank: true }));
  const stored = ctx.tenant.sso;
  if (secret === undefined && !stored) throw badField('clientSecret', 'the client secret (required the first time)');
  const allowedDomains = body.allowedDomains === undefined ? (stored?.allowedDomains ?? []) : domains(body.allowedDomains);
  const defaultRole = body.defaultRole === undefined ? (stored?.defaultRole ?? 'viewer') : checkField(body, 'defaultRole', roleField);
  if (defaultRole === 'owner') throw badField('defaultRole', 'a role other than "owner" (owners are invited)');
  const required = body.required === undefined ? (stored?.required ?? false) : checkField(body, 'required', boolean);
  const clientSecretCiphertext = secret === undefined ? stored!.clientSecretCiphertext : await encryptSecret(ctx.env.MASTER_KEY, secret, ctx.tenant.id);
  const sso: SsoConfig = { issuer, clientId, clientSecretCiphertext, allowedDomains, defaultRole, required, updatedAt: new Date().toISOString() };
  await replaceSso(ctx, 'sso.update', sso);
  return json(describeSso(sso, ctx.request.url));
}

function domains(value: unknown): string[] {
  if (!isArrayOf(value, isString) || value.length > 50) throw badField('allowedDomains', 'at most 50 domain names');
  return value.map((d, i) => {
    const domain = d.trim().toLowerCase();
    if (!DOMAIN.test(domain)) throw badField(`allowedDomains[${i}]`, 'a domain name such as example.com');
    return domain;
  });
}

async function deleteSso(ctx: ApiContext): Promise<Response> {
  if (!ctx.tenant.sso) throw new HttpError(404, 'Single sign-on is not set up', 'Set it with PUT /v1/accounts/sso.');
  await replaceSso(ctx, 'sso.delete', null);
  return noContent();
}

/** Stores the new SSO config (or none) and audits the change, digesting the views (never the secret). */
function replaceSso(ctx: ApiContext, action: string, sso: SsoConfig | null): Promise<void> {
  return changeTenant(ctx, {
    action,
    target: 'sso',
    apply(config) {
      const before = config.sso && describeSso(config.sso, ctx.request.url);
      config.sso = sso;
      return { result: undefined, before, after: sso ? describeSso(sso, ctx.request.url) : undefined };
    },
  });
}
