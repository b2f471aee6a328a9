/**
 * `/v1/accounts/blocking-rules`: URLs the tenant refuses to deliver (src/security/blocking/rules.ts).
 *
 *   GET    /v1/accounts/blocking-rules       → 200 [rule]
 *   POST   /v1/accounts/blocking-rules       {path?, transformation?, ip?, country?, note?, expiresAt?} → 201 rule
 *   GET    /v1/accounts/blocking-rules/:id   → 200 rule | 404
 *   PATCH  /v1/accounts/blocking-rules/:id   {note?, expiresAt?} → 200 rule (conditions stay: delete and add instead)
 *   DELETE /v1/accounts/blocking-rules/:id   → 204
 *
 * A rule is `{id, path?, transformation?, ip?, country?, note, expiresAt, createdAt, active}`; `active` is false
 * once it has expired. Reads need `settings: read`, writes `settings: read_write`; every write is audited.
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { randomToken } from '../security/crypto';
import { checkRuleBody, checkRuleChange, describeRule, MAX_TENANT_RULES } from '../security/blocking/rules';
import { readJsonObject } from './body';
import { ConfigCollection } from './config-collection';
import type { ApiContext } from './context';

const rules = new ConfigCollection({
  key: 'blockingRules',
  path: '/v1/accounts/blocking-rules',
  kind: 'blocking-rule',
  describe: (rule) => describeRule(rule),
  audited: (rule) => rule,
  notFound: () => new HttpError(404, 'The requested blocking rule does not exist.', 'List them with GET /v1/accounts/blocking-rules.'),
  max: MAX_TENANT_RULES,
  full: () => new HttpError(400, `An account can have at most ${MAX_TENANT_RULES} blocking rules.`, 'Delete expired or unused ones first.'),
});

export function registerBlockingRuleRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  rules.register(router, { create, update: { method: 'patch', handler: update }, remove });
}

async function create(ctx: ApiContext): Promise<Response> {
  const rule = checkRuleBody(await readJsonObject(ctx.request));
  const id = `br_${randomToken(9)}`;
  return rules.create(ctx, id, () => ({ id, ...rule, createdAt: new Date().toISOString() }));
}

async function update(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const change = checkRuleChange(await readJsonObject(ctx.request));
  return rules.update(ctx, params.id ?? '', (_config, before) => ({ ...before, ...change }));
}

function remove(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  return rules.remove(ctx, params.id ?? '');
}
