import type { IRequest, RouterType } from 'itty-router';
import { auditLog } from '../audit/record';
import type { Env } from '../env';
import { decimal, integer, isoTime, optional, text } from '../validate/fields';
import { json } from './respond';
import { accessRoute } from './tenant-route';

/** `/v1/accounts/audit-logs`: pages the tenant's hash-chained audit log; `/verify` recomputes the chain. */
export function registerAuditLogRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(
    '/v1/accounts/audit-logs/verify',
    accessRoute('audit', 'read', async (ctx) => json(await auditLog(ctx.env, ctx.tenant.id).verify())),
  );

  router.get(
    '/v1/accounts/audit-logs',
    accessRoute('audit', 'read', async (ctx) => {
      const params = new URL(ctx.request.url).searchParams;
      const limit = integer(1, 200)(decimal(params.get('limit') ?? '50'), 'limit');
      const cursor = optional(text('the nextCursor of a previous page', { pattern: /^\d+$/ }))(params.get('cursor') ?? undefined, 'cursor');
      const since = isoParam(params.get('since'), 'since');
      const until = isoParam(params.get('until'), 'until');
      const action = params.get('action') ?? undefined;
      const page = await auditLog(ctx.env, ctx.tenant.id).list({ since, until, action, limit, cursor });
      return json({
        entries: page.entries.map((e) => ({
          id: e.id,
          at: e.at,
          actor: e.actor,
          ip: e.ip,
          country: e.country,
          action: e.action,
          target: e.target,
          beforeDigest: e.beforeDigest,
          afterDigest: e.afterDigest,
          hash: e.hash,
          prevHash: e.prevHash,
          // What an offline check of the chain needs (src/audit/chain.ts): salts are null for erased fields.
          v: e.v,
          commitments: e.commitments,
          salts: e.salts,
        })),
        nextCursor: page.nextCursor,
      });
    }),
  );
}

function isoParam(value: string | null, field: string): string | undefined {
  if (value === null || value === '') return undefined;
  return new Date(isoTime(value, field)).toISOString();
}
