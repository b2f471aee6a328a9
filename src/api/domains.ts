/**
 * Tenants' own hostnames (src/tenants/domains.ts):
 *
 *   operator  POST   /admin/v1/tenants/:id/domains {hostname}     → 201 {hostname, status: "active"} (wildcards allowed)
 *             GET    /admin/v1/tenants/:id/domains                → 200 [domain]
 *             DELETE /admin/v1/tenants/:id/domains/:hostname      → 204
 *   tenant    GET    /v1/accounts/domains                         → 200 [domain]
 *             POST   /v1/accounts/domains {hostname}              → 201 {hostname, status: "pending", verification}
 *             POST   /v1/accounts/domains/:hostname/verify        → 200 {…, status: "active"} | 422 with what was found
 *             DELETE /v1/accounts/domains/:hostname               → 204
 *
 * A hostname belongs to one tenant (409 for another, unless that one's claim was left pending for a week). The
 * hostname's index entry is claimed first, under a lock of its own, then the tenant's config records the domain;
 * both are undone together. Every change is audited in the tenant's log.
 */
import type { IRequest, RouterType } from 'itty-router';
import { type Actor, clientInfo } from '../audit/actor';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { randomToken } from '../security/crypto';
import { addCustomHostname, removeCustomHostname } from '../tenants/custom-hostnames';
import { challengeFor, proveOwnership } from '../tenants/domain-verification';
import {
  checkHostname,
  deleteHost,
  type DomainRecord,
  type DomainStatus,
  PENDING_CLAIM_MS,
  readHost,
  writeHost,
} from '../tenants/domains';
import { withTenantLock } from '../tenants/lock';
import { readTenantFresh } from '../tenants/store';
import { readJsonObject } from './body';
import { requireOperator } from './auth';
import { json, noContent } from './respond';
import { type ConfigWriter, changeTenantAs, settingsRoute } from './tenant-route';

const OPERATOR: Actor = { kind: 'operator' };

export function registerDomainRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.post('/admin/v1/tenants/:id/domains', async (request: IRequest, env: Env) => {
    requireOperator(request, env);
    const writer = await operatorWriter(request, env);
    const hostname = checkHostname((await readJsonObject(request)).hostname, { wildcard: true, ownHost: new URL(request.url).hostname });
    const domain = await attach(writer, { hostname, status: 'active', createdAt: now(), verifiedAt: now(), token: randomToken(16) });
    return json(describe(domain), 201);
  });
  router.get('/admin/v1/tenants/:id/domains', async (request: IRequest, env: Env) => {
    requireOperator(request, env);
    return json((await tenantOrNotFound(env, request.params.id!)).domains.map(describe));
  });
  router.delete('/admin/v1/tenants/:id/domains/:hostname', async (request: IRequest, env: Env) => {
    requireOperator(request, env);
    await detach(await operatorWriter(request, env), decodeURIComponent(request.params.hostname!).toLowerCase());
    return noContent();
  });

  router.get(
    '/v1/accounts/domains',
    settingsRoute('read', (ctx) => json(ctx.tenant.domains.map(describe))),
  );
  router.post(
    '/v1/accounts/domains',
    settingsRoute('read_write', async (ctx) => {
      const hostname = checkHostname((await readJsonObject(ctx.request)).hostname, { wildcard: false, ownHost: new URL(ctx.request.url).hostname });
      const domain = await attach(writerOf(ctx), { hostname, status: 'pending', createdAt: now(), token: randomToken(16) });
      return json(describe(domain), 201);
    }),
  );
  router.post(
    '/v1/accounts/domains/:hostname/verify',
    settingsRoute('read_write', async (ctx, params) => {
      const domain = findDomain(ctx.tenant.domains, decodeURIComponent(params.hostname!));
      if (domain.status === 'active') return json(describe(domain));
      const proof = await proveOwnership(ctx.env, domain.hostname, domain.token);
      if (!proof.proven) {
        throw new HttpError(
          422,
          `Ownership of ${domain.hostname} is not proven yet`,
          'Publish the TXT record or serve the token at the URL in `verification`, then verify again.',
          {},
          { checks: proof.checks, verification: challengeFor(domain.hostname, domain.token) },
        );
      }
      return json(describe(await activate(writerOf(ctx), domain)));
    }),
  );
  router.delete(
    '/v1/accounts/domains/:hostname',
    settingsRoute('read_write', async (ctx, params) => {
      await detach(writerOf(ctx), decodeURIComponent(params.hostname!).toLowerCase());
      return noContent();
    }),
  );
}

const now = () => new Date().toISOString();

/** A domain as the APIs show it: the challenge while it is pending. */
function describe(domain: DomainRecord): Record<string, unknown> {
  return {
    hostname: domain.hostname,
    status: domain.status,
    createdAt: domain.createdAt,
    ...(domain.verifiedAt ? { verifiedAt: domain.verifiedAt } : {}),
    ...(domain.status === 'pending' ? { verification: challengeFor(domain.hostname, domain.token) } : {}),
  };
}

function writerOf(ctx: { env: Env; tenant: { id: string }; actor: Actor; client: ConfigWriter['client'] }): ConfigWriter {
  return { env: ctx.env, tenantId: ctx.tenant.id, actor: ctx.actor, client: ctx.client };
}

async function operatorWriter(request: IRequest, env: Env): Promise<ConfigWriter> {
  const tenant = await tenantOrNotFound(env, request.params.id!);
  return { env, tenantId: tenant.id, actor: OPERATOR, client: clientInfo(request) };
}

async function tenantOrNotFound(env: Env, id: string) {
  const tenant = await readTenantFresh(env, id);
  if (!tenant) throw new HttpError(404, `Tenant "${id}" not found`, 'List tenants with GET /admin/v1/tenants.');
  return tenant;
}

function findDomain(domains: readonly DomainRecord[], hostname: string): DomainRecord {
  const domain = domains.find((d) => d.hostname === hostname.toLowerCase());
  if (!domain) throw new HttpError(404, `Domain "${hostname}" not found`, 'List the tenant\'s domains with GET /v1/accounts/domains.');
  return domain;
}

/** Claims the hostname for the writer's tenant in the index, under the hostname's own lock. */
async function claim(who: ConfigWriter, hostname: string, status: DomainStatus): Promise<void> {
  await withTenantLock(who.env, `domain:${hostname}`, async () => {
    const held = await readHost(who.env, hostname);
    const abandoned = held?.status === 'pending' && Date.now() - (held.since ?? 0) > PENDING_CLAIM_MS;
    if (held && held.tenantId !== who.tenantId && !abandoned) {
      throw new HttpError(409, `${hostname} belongs to another tenant`, 'A hostname can serve one tenant only.');
    }
    await writeHost(who.env, hostname, { tenantId: who.tenantId, status, since: Date.now() });
  });
}

/** Releases the hostname in the index if it is still the tenant's. */
async function release(who: ConfigWriter, hostname: string): Promise<void> {
  await withTenantLock(who.env, `domain:${hostname}`, async () => {
    if ((await readHost(who.env, hostname))?.tenantId === who.tenantId) await deleteHost(who.env, hostname);
  });
}

async function attach(who: ConfigWriter, domain: DomainRecord): Promise<DomainRecord> {
  await claim(who, domain.hostname, domain.status);
  try {
    const stored = domain.status === 'active' ? { ...domain, cloudflareId: await addCustomHostname(who.env, domain.hostname) } : domain;
    return await changeTenantAs(who, {
      action: 'domain.create',
      target: `domain:${domain.hostname}`,
      apply: (config) => {
        if (config.domains.some((d) => d.hostname === domain.hostname)) {
          throw new HttpError(409, `${domain.hostname} is already one of this tenant's domains`, 'Remove it first to add it again.');
        }
        config.domains.push(stored);
        return { result: stored, after: { hostname: stored.hostname, status: stored.status } };
      },
    });
  } catch (error) {
    // Only a claim this call made is released: the 409 above means the domain (and its claim) was there already.
    const existing = (await readTenantFresh(who.env, who.tenantId))?.domains.some((d) => d.hostname === domain.hostname);
    if (!existing) await release(who, domain.hostname);
    throw error;
  }
}

async function activate(who: ConfigWriter, domain: DomainRecord): Promise<DomainRecord> {
  await claim(who, domain.hostname, 'active');
  const cloudflareId = await addCustomHostname(who.env, domain.hostname);
  return changeTenantAs(who, {
    action: 'domain.verify',
    target: `domain:${domain.hostname}`,
    apply: (config) => {
      const stored = findDomain(config.domains, domain.hostname);
      Object.assign(stored, { status: 'active', verifiedAt: now(), cloudflareId });
      return { result: stored, before: { status: 'pending' }, after: { status: 'active' } };
    },
  });
}

async function detach(who: ConfigWriter, hostname: string): Promise<void> {
  const removed = await changeTenantAs(who, {
    action: 'domain.delete',
    target: `domain:${hostname}`,
    apply: (config) => {
      const domain = findDomain(config.domains, hostname);
      config.domains = config.domains.filter((d) => d !== domain);
      return { result: domain, before: { hostname, status: domain.status } };
    },
  });
  await release(who, hostname);
  await removeCustomHostname(who.env, removed.cloudflareId);
}

/** Frees every hostname of a tenant that is being erased. */
export async function releaseDomains(env: Env, tenantId: string, domains: readonly DomainRecord[]): Promise<void> {
  const who: ConfigWriter = { env, tenantId, actor: OPERATOR, client: { ip: '', country: '' } };
  for (const domain of domains) {
    await release(who, domain.hostname);
    await removeCustomHostname(env, domain.cloudflareId).catch((error) => console.error(`removing ${domain.hostname} from the zone failed`, error));
  }
}
