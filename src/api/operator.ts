/**
 * The platform operator API (`/admin/v1/tenants`): create, list, read and erase tenants. Bearer PLATFORM_ADMIN_TOKEN.
 * Deleting a tenant is the GDPR erase path: config, keys, originals, variants and its audit log all go.
 */
import { tenantEndpoint } from '../delivery/url';
import type { IRequest, RouterType } from 'itty-router';
import { auditLog, recordAudit } from '../audit/record';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { describeKey, FULL_ACCESS, generateKey, privateKeyIndex, publicKeyIndex } from '../security/keys';
import { defaultTenantConfig, RESERVED_IDS, TENANT_ID, tenantConfigKey, type TenantConfig } from '../tenants/config';
import { forgetTenant, readTenantFresh, saveTenant, storedTenants } from '../tenants/store';
import { requireOperator } from './auth';
import { readJsonObject } from './body';
import { type Actor, clientInfo } from '../audit/actor';
import { json, noContent } from './respond';
import { randomToken } from '../security/crypto';
import { libraryOf } from '../library/client';
import { deletePrefix } from '../storage/prefix';
import { objectCalls } from '../durable/guarded-stub';
import { badField, isObject } from '../validate/fields';
import { accountsOf } from '../people/client';
import { displayName, email } from '../people/fields';
import { describeUser, inviteUser } from '../people/invitations';
import { releaseDomains } from './domains';
import { exportsOf } from '../exports/client';
import { tenantExportsPrefix } from '../exports/keys';
import { mediaOf } from '../storage/media';
import { monthUsage, refreshQuotaBlock } from '../insight/evaluate';
import { quotaStatus } from '../insight/quota-block';
import { parseQuotas, quotasOf } from '../tenants/alert-settings';
import { changeTenantAs } from './tenant-route';

const OPERATOR: Actor = { kind: 'operator' };
/** The platform's own audit log: not a valid tenant id, so it can never collide with one. */
export const PLATFORM_LOG = '#platform';

export function registerOperatorRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post('/admin/v1/tenants', createTenant);
  router.get('/admin/v1/tenants', listTenants);
  router.get('/admin/v1/tenants/:id', getTenant);
  router.delete('/admin/v1/tenants/:id', deleteTenant);
  router.get('/admin/v1/isolate', isolateCounters);
  router.post('/admin/v1/tenants/:id/owners', inviteOwner);
  router.get('/admin/v1/tenants/:id/quotas', getQuotas);
  router.put('/admin/v1/tenants/:id/quotas', putQuotas);
}

/** A tenant's monthly quotas and whether it is blocked now (src/tenants/alert-settings.ts). */
async function getQuotas(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const tenant = await readTenantFresh(env, request.params.id!);
  if (!tenant) throw new HttpError(404, `Tenant "${request.params.id}" not found`, 'List tenants with GET /admin/v1/tenants.');
  return json(await quotaStatus(env, tenant));
}

/**
 * Sets quotas (the limits named; null removes one) and what happens over them. The block flag follows at once:
 * raising a quota unblocks the tenant, lowering one under this month's usage blocks it.
 */
async function putQuotas(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const id = request.params.id!;
  if (!(await readTenantFresh(env, id))) throw new HttpError(404, `Tenant "${id}" not found`, 'List tenants with GET /admin/v1/tenants.');
  const body = await readJsonObject(request);
  const writer = { env, tenantId: id, actor: OPERATOR, client: clientInfo(request) };
  const tenant = await changeTenantAs(writer, {
    action: 'quotas.update',
    target: 'quotas',
    apply(config) {
      const before = quotasOf(config);
      config.quotas = parseQuotas(body, before);
      return { result: config, before, after: config.quotas };
    },
  });
  await recordAudit(env, PLATFORM_LOG, { actor: OPERATOR, client: clientInfo(request), action: 'quotas.update', target: `tenant:${id}`, after: tenant.quotas });
  const now = Date.now();
  await refreshQuotaBlock(env, tenant, await monthUsage(env, id, now), now);
  return json(await quotaStatus(env, tenant));
}


/**
 * What the isolate that answers has done since it started: its calls into Durable Objects, by object and method.
 * One isolate's view (a deployment runs many); under `wrangler dev` it is the whole picture, which is what
 * `npm run bench:delivery` reads.
 */
function isolateCounters(request: IRequest, env: Env): Response {
  requireOperator(request, env);
  return json({ objectCalls: objectCalls() });
}

async function createTenant(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const body = await readJsonObject(request);
  const id = body.id === undefined ? `t-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, '0')}` : body.id;
  if (typeof id !== 'string' || !TENANT_ID.test(id) || RESERVED_IDS.has(id)) {
    throw badField('id', '2–63 characters of a–z, 0–9 and "-", starting with a letter or digit, not a reserved word');
  }
  if (await env.CONFIG.get(tenantConfigKey(id))) {
    throw new HttpError(409, `Tenant "${id}" already exists`, 'Choose another id.');
  }
  const owner = body.owner === undefined ? undefined : ownerOf(body.owner, 'owner');
  const config = defaultTenantConfig(id);
  const { record, privateKey } = await generateKey(env.MASTER_KEY, id, 'default', FULL_ACCESS);
  config.keys.push(record);
  await saveTenant(env, config);
  const index = { tenantId: id, keyId: record.id };
  await env.CONFIG.put(privateKeyIndex(record.privateKeyHash), JSON.stringify(index));
  await env.CONFIG.put(publicKeyIndex(record.publicKey), JSON.stringify(index));
  const change = { actor: OPERATOR, client: clientInfo(request), action: 'tenant.create', target: `tenant:${id}`, after: { id } };
  await recordAudit(env, id, change);
  await recordAudit(env, PLATFORM_LOG, change);
  const urlEndpoint = tenantEndpoint(request.url, id);
  const invited = owner ? await inviteOwnerOf(request, env, id, owner) : undefined;
  return json({ id, urlEndpoint, publicKey: record.publicKey, privateKey, ...(invited ? { owner: describeUser(invited) } : {}) }, 201);
}

/** `owner: {email, name?}` of the operator's calls. */
function ownerOf(value: unknown, field: string): { email: string; name: string } {
  if (!isObject(value)) throw badField(field, 'an object with email and name');
  const address = email(value.email, `${field}.email`);
  return { email: address, name: value.name === undefined ? address.split('@')[0]! : displayName(value.name, `${field}.name`) };
}

function inviteOwnerOf(request: Request, env: Env, tenantId: string, owner: { email: string; name: string }) {
  return inviteUser(env, { tenantId, ...owner, role: 'owner', origin: new URL(request.url).origin, actor: OPERATOR, client: clientInfo(request) });
}

/** Invites an owner into an existing tenant (its first one, or another when every owner is gone). */
async function inviteOwner(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const tenant = await readTenantFresh(env, request.params.id!);
  if (!tenant) throw new HttpError(404, `Tenant "${request.params.id}" not found`, 'List tenants with GET /admin/v1/tenants.');
  const body = await readJsonObject(request);
  const user = await inviteOwnerOf(request, env, tenant.id, ownerOf(body, 'body'));
  return json(describeUser(user), 201);
}

async function listTenants(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const tenants: { id: string; createdAt: string }[] = [];
  for await (const tenant of storedTenants(env)) tenants.push(tenant);
  return json(tenants);
}

async function getTenant(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const tenant = await readTenantFresh(env, request.params.id!);
  if (!tenant) throw new HttpError(404, `Tenant "${request.params.id}" not found`, 'List tenants with GET /admin/v1/tenants.');
  return json(describeTenant(tenant, new URL(request.url).origin));
}

/** A tenant as the operator sees it: everything but secrets. */
function describeTenant(tenant: TenantConfig, origin: string) {
  return {
    id: tenant.id,
    createdAt: tenant.createdAt,
    urlEndpoint: `${origin}/${tenant.id}`,
    settings: tenant.settings,
    apiKeys: tenant.keys.map(describeKey),
    namedTransformations: tenant.namedTransformations.length,
    origins: tenant.origins.length,
    urlEndpoints: tenant.urlEndpoints.length,
    domains: tenant.domains.map((d) => ({ hostname: d.hostname, status: d.status })),
    quotas: quotasOf(tenant),
  };
}

async function deleteTenant(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const id = request.params.id!;
  const tenant = await readTenantFresh(env, id);
  if (!tenant) throw new HttpError(404, `Tenant "${id}" not found`, 'List tenants with GET /admin/v1/tenants.');
  await eraseTenant(env, tenant);
  await recordAudit(env, PLATFORM_LOG, {
    actor: OPERATOR,
    client: clientInfo(request),
    action: 'tenant.delete',
    target: `tenant:${id}`,
    before: { id },
  });
  return noContent();
}

/**
 * Erases everything a tenant owns. The config goes first, so delivery and the APIs stop answering for the
 * tenant at once; then credentials, stored bytes and the audit log.
 */
export async function eraseTenant(env: Env, tenant: TenantConfig): Promise<void> {
  await env.CONFIG.delete(tenantConfigKey(tenant.id));
  forgetTenant(tenant.id);
  await releaseDomains(env, tenant.id, tenant.domains);
  for (const key of tenant.keys) {
    await env.CONFIG.delete(privateKeyIndex(key.privateKeyHash));
    await env.CONFIG.delete(publicKeyIndex(key.publicKey));
  }
  await libraryOf(env, tenant.id).erase();
  await deletePrefix(env.MEDIA, `variants/${tenant.id}/`);
  await auditLog(env, tenant.id).erase();
  await accountsOf(env, tenant.id).erase();
  await deletePrefix(mediaOf(env, tenant.id), tenantExportsPrefix(tenant.id));
  await exportsOf(env, tenant.id).erase();
}
