/**
 * Blocking rules: what a tenant (of its own URLs) or the platform operator (of one tenant's, or of every
 * tenant's) refuses to deliver, beside a tenant's standing access rules (src/security/access.ts). A rule names
 * one or more conditions, all of which must hold:
 *
 *   path            a glob over the file path (glob.ts)
 *   transformation  a parameter pattern (transformation-pattern.ts)
 *   ip              an address or CIDR range of the client
 *   country         the client's country code
 *
 * and carries an id, a note and an optional expiry: once `expiresAt` is past the rule no longer applies, with
 * no write needed. Delivery checks them right after reading the URL, before any cache, origin or decode
 * (src/delivery/stages/block-patterns.ts); operator rules first, so an operator's block is the one named.
 */
import { HttpError } from '../../http/errors';
import { badField, checkField, optional, text } from '../../validate/fields';
import type { Transformation } from '../../transform/parse';
import { type Address, inRange, parseAddress, parseRange, type Range, validateCidr, validateCountry } from '../access';
import { compileGlob, type Glob, globMatches, globProblem } from './glob';
import { checkTransformationPattern, type TransformationPattern, transformationMatches } from './transformation-pattern';

export interface BlockingRule {
  id: string;
  path?: string;
  transformation?: TransformationPattern;
  ip?: string;
  country?: string;
  note: string;
  /** ISO 8601; null for a rule that stays until deleted. */
  expiresAt: string | null;
  createdAt: string;
}

/** An operator's rule applies to one tenant, or to all of them (`tenant: null`). */
export interface OperatorBlockingRule extends BlockingRule {
  tenant: string | null;
}

/** How many rules a tenant may keep, and the operator in all; every request of a tenant checks both. */
export const MAX_TENANT_RULES = 100;
export const MAX_OPERATOR_RULES = 200;
const MAX_NOTE = 500;
/** Longest a rule may be set to last; longer is a standing rule (no expiry). */
const MAX_EXPIRY_MS = 10 * 365 * 86_400_000;

const CONDITIONS = ['path', 'transformation', 'ip', 'country'] as const;

/**
 * The conditions, note and expiry of a new rule from a request body; `id` and `createdAt` are the caller's. Every
 * field is checked, and a 400 names the one that is wrong.
 */
export function checkRuleBody(body: Record<string, unknown>, now = Date.now(), otherFields: readonly string[] = []): Omit<BlockingRule, 'id' | 'createdAt'> {
  const fields = [...CONDITIONS, 'note', 'expiresAt', ...otherFields];
  const stray = Object.keys(body).find((k) => !fields.includes(k));
  if (stray) throw badField(stray, `nothing: a rule's fields are ${fields.join(', ')}`);
  const rule: Omit<BlockingRule, 'id' | 'createdAt'> = { note: '', expiresAt: null };
  if (body.path !== undefined) {
    const problem = typeof body.path === 'string' ? globProblem(body.path) : 'a string';
    if (problem) throw badField('path', `a path glob: ${problem}`);
    rule.path = body.path as string;
  }
  if (body.transformation !== undefined) rule.transformation = checkTransformationPattern(body.transformation, 'transformation');
  if (body.ip !== undefined) {
    if (typeof body.ip !== 'string' || !validateCidr(body.ip)) throw badField('ip', 'an IPv4 or IPv6 address or CIDR range (203.0.113.0/24)');
    rule.ip = body.ip;
  }
  if (body.country !== undefined) {
    if (typeof body.country !== 'string' || !validateCountry(body.country)) throw badField('country', 'a two-letter country code (ISO 3166-1 alpha-2, or T1 for Tor)');
    rule.country = body.country.toUpperCase();
  }
  if (!CONDITIONS.some((c) => rule[c] !== undefined)) {
    throw new HttpError(400, 'A blocking rule needs at least one condition.', `Give one or more of: ${CONDITIONS.join(', ')}; a request is blocked when all of them hold.`);
  }
  return { ...rule, ...checkRuleChange({ note: body.note, expiresAt: body.expiresAt }, now) };
}

/** The fields a rule's PATCH may change: its note and its expiry (a rule's conditions are what it is). */
export function checkRuleChange(body: Record<string, unknown>, now = Date.now()): { note?: string; expiresAt?: string | null } {
  const stray = Object.keys(body).find((k) => k !== 'note' && k !== 'expiresAt');
  if (stray) throw badField(stray, 'nothing: only a rule\'s note and expiresAt change (delete it and add another)');
  const note = checkField(body, 'note', optional(text(`at most ${MAX_NOTE} characters`, { max: MAX_NOTE })));
  const expiresAt = body.expiresAt === undefined ? undefined : checkExpiry(body.expiresAt, now);
  return { ...(note !== undefined ? { note } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}) };
}

function checkExpiry(value: unknown, now: number): string | null {
  if (value === null) return null;
  const at = typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at) || at <= now || at > now + MAX_EXPIRY_MS) {
    throw badField('expiresAt', 'an ISO 8601 time in the future (2027-01-31T12:00:00Z), at most ten years ahead, or null for no expiry');
  }
  return new Date(at).toISOString();
}

export const isActive = (rule: BlockingRule, now = Date.now()) => rule.expiresAt === null || Date.parse(rule.expiresAt) > now;

/** The rule as the APIs show it: stored fields, and whether it applies now. */
export const describeRule = <R extends BlockingRule>(rule: R, now = Date.now()) => ({ ...rule, active: isActive(rule, now) });

/** What delivery knows of a request, for the rules to look at. */
export interface BlockedRequest {
  path: string;
  transformation: Transformation;
  ip: string | null;
  country: string | null;
}

interface CompiledRule<R extends BlockingRule> {
  rule: R;
  expires: number;
  glob?: Glob;
  range?: Range | null;
}

/** The first of `rules` that applies to the request now, or null. */
export function firstBlockingRule<R extends BlockingRule>(rules: readonly R[], request: BlockedRequest, now = Date.now()): R | null {
  if (rules.length === 0) return null;
  let ip: Address | null | undefined;
  let parts: string[] | undefined;
  for (const c of compiled(rules)) {
    if (c.expires <= now) continue;
    const { rule } = c;
    if (rule.country !== undefined && request.country?.toUpperCase() !== rule.country) continue;
    if (c.range !== undefined) {
      ip = ip === undefined ? parseAddress(request.ip) : ip;
      if (!ip || !c.range || !inRange(ip, c.range)) continue;
    }
    if (c.glob && !globMatches(c.glob, request.path, (parts ??= request.path.split('/')))) continue;
    if (rule.transformation && !transformationMatches(rule.transformation, request.transformation)) continue;
    return rule;
  }
  return null;
}

// A tenant's config and the operator's rules are memoised per isolate, so the same array comes back request
// after request: its globs and ranges are made once.
const compiledLists = new WeakMap<readonly BlockingRule[], CompiledRule<BlockingRule>[]>();

function compiled<R extends BlockingRule>(rules: readonly R[]): CompiledRule<R>[] {
  let list = compiledLists.get(rules) as CompiledRule<R>[] | undefined;
  if (!list) {
    list = rules.map((rule) => ({
      rule,
      expires: rule.expiresAt === null ? Infinity : Date.parse(rule.expiresAt),
      ...(rule.path !== undefined ? { glob: compileGlob(rule.path) } : {}),
      ...(rule.ip !== undefined ? { range: parseRange(rule.ip) } : {}),
    }));
    compiledLists.set(rules, list as CompiledRule<BlockingRule>[]);
  }
  return list;
}

/** The 403 of a blocked request: it names the rule by id (its owner can look it up), never its content. */
export function blocked(rule: BlockingRule, by: 'tenant' | 'operator'): HttpError {
  const whose = by === 'operator' ? "the platform's" : "this account's";
  return new HttpError(
    403,
    `Blocked: the request matches ${whose} blocking rule ${rule.id}.`,
    by === 'operator'
      ? 'The platform operator blocks these URLs. Contact the site owner if you think this is a mistake.'
      : 'The account owner blocks these URLs (blocking rules). Contact the site owner if you should have access.',
    {},
    { rule: rule.id },
  );
}
