/**
 * The operator's blocking rules, over one tenant or every tenant (src/security/blocking/):
 *
 *   GET    /admin/v1/blocking-rules[?tenant=<id>]   → 200 [rule] (with `tenant`: that tenant's and the global ones)
 *   POST   /admin/v1/blocking-rules                 {tenant?: id|null, path?, transformation?, ip?, country?, note?, expiresAt?} → 201 rule
 *   PATCH  /admin/v1/blocking-rules/:id             {note?, expiresAt?} → 200 rule
 *   DELETE /admin/v1/blocking-rules/:id             → 204
 *
 * Bearer PLATFORM_ADMIN_TOKEN. Every write goes into the platform audit log, and a rule over one tenant's URLs
 * into that tenant's log too, so a tenant can see why its URLs answer 403.
 */
import type { IRequest, RouterType } from 'itty-router';
import { clientInfo } from '../audit/actor';
import { recordAudit } from '../audit/record';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { randomToken } from '../security/crypto';
import { changeOperatorRules, operatorRules } from '../security/blocking/operator-store';
import { checkRuleBody, checkRuleChange, describeRule, MAX_OPERATOR_RULES, type OperatorBlockingRule } from '../security/blocking/rules';
import { readTenantFresh } from '../tenants/store';
import { badField } from '../validate/fields';
import { requireOperator } from './auth';
import { readJsonObject } from './body';
import { PLATFORM_LOG } from './operator';
import { json, noContent } from './respond';

const PATH = '/admin/v1/blocking-rules';

export function registerOperatorBlockingRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get(PATH, list);
  router.post(PATH, create);
  router.patch(`${PATH}/:id`, update);
  router.delete(`${PATH}/:id`, remove);
}

async function list(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const tenant = new URL(request.url).searchParams.get('tenant');
  const { all } = await operatorRules(env);
  return json(all.filter((rule) => tenant === null || rule.tenant === null || rule.tenant === tenant).map((rule) => describeRule(rule)));
}

async function create(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const body = await readJsonObject(request);
  const fields = checkRuleBody(body, Date.now(), ['tenant']);
  const tenant = body.tenant ?? null;
  if (tenant !== null && (typeof tenant !== 'string' || !(await readTenantFresh(env, tenant)))) {
    throw badField('tenant', 'the id of an existing tenant, or null for every tenant');
  }
  const rule: OperatorBlockingRule = { id: `obr_${randomToken(9)}`, tenant, ...fields, createdAt: new Date().toISOString() };
  await changeOperatorRules(env, (rules) => {
    if (rules.length >= MAX_OPERATOR_RULES) {
      throw new HttpError(400, `The platform can have at most ${MAX_OPERATOR_RULES} blocking rules.`, 'Delete expired or unused ones first.');
    }
    return { rules: [...rules, rule], result: undefined };
  });
  await audit(request, env, 'blocking-rule.create', rule, { after: rule });
  return json(describeRule(rule), 201);
}

async function update(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const change = checkRuleChange(await readJsonObject(request));
  const id = request.params.id!;
  const [before, after] = await changeOperatorRules(env, (rules) => {
    const current = find(rules, id);
    const next = { ...current, ...change };
    return { rules: rules.map((r) => (r.id === id ? next : r)), result: [current, next] as const };
  });
  await audit(request, env, 'blocking-rule.update', after, { before, after });
  return json(describeRule(after));
}

async function remove(request: IRequest, env: Env): Promise<Response> {
  requireOperator(request, env);
  const id = request.params.id!;
  const removed = await changeOperatorRules(env, (rules) => ({ rules: rules.filter((r) => r.id !== id), result: find(rules, id) }));
  await audit(request, env, 'blocking-rule.delete', removed, { before: removed });
  return noContent();
}

function find(rules: OperatorBlockingRule[], id: string): OperatorBlockingRule {
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new HttpError(404, 'The requested blocking rule does not exist.', `List them with GET ${PATH}.`);
  return rule;
}

/** After the change is stored: an entry never describes a change that did not happen. */
async function audit(request: Request, env: Env, action: string, rule: OperatorBlockingRule, values: { before?: unknown; after?: unknown }) {
  const change = { actor: { kind: 'operator' } as const, client: clientInfo(request), action, target: `blocking-rule:${rule.id}`, ...values };
  await recordAudit(env, PLATFORM_LOG, change);
  if (rule.tenant !== null) await recordAudit(env, rule.tenant, change);
}
