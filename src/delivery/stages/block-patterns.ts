import { accessRequestOf } from '../../security/access';
import { operatorRules } from '../../security/blocking/operator-store';
import { blocked, type BlockedRequest, firstBlockingRule } from '../../security/blocking/rules';
import type { ParsedContext, Stage } from '../context';

/**
 * The operator's and the tenant's blocking rules (src/security/blocking/), right after the URL is read: a blocked
 * request is a 403 naming the rule, before any cache lookup, origin fetch or decode. The operator's rules come
 * first, so when both block, the operator's is the one named. They are read from the isolate's copy, never from a
 * Durable Object.
 */
export const blockPatterns: Stage<ParsedContext> = async (ctx) => {
  const operator = await operatorRules(ctx.env);
  const { ip, country } = accessRequestOf(ctx.request);
  const request: BlockedRequest = { path: ctx.path, transformation: ctx.transformation, ip, country };
  const byOperator = firstBlockingRule(operator.global, request) ?? firstBlockingRule(operator.byTenant.get(ctx.tenant.id) ?? [], request);
  if (byOperator) throw blocked(byOperator, 'operator');
  const byTenant = firstBlockingRule(ctx.tenant.blockingRules, request);
  if (byTenant) throw blocked(byTenant, 'tenant');
};
