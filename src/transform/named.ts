/**
 * Named transformations: `n-<name>` in a transformation stands for a stored transformation string of the
 * tenant. Expansion is textual and happens before parsing, so the canonical form — and the cache key — is that
 * of the expansion: editing a named transformation changes what its URLs deliver.
 *
 * - A stored string may hold chained steps (`w-300:rt-90`); it replaces its token in place, so
 *   `w-100,n-x,h-50` with x = `bl-5:rt-90` reads `w-100,bl-5:rt-90,h-50`.
 * - Expansion is one level deep: a stored string containing `n-` is a 400 (and is refused when saved).
 * - An unknown or disabled name is a 400 naming it.
 * - `ik_ml_thumbnail` (the media library's thumbnail, used in `thumbnailUrl`) always exists and is fixed.
 */
import { HttpError } from '../http/errors';
import type { NamedTransformation, TenantConfig } from '../tenants/config';
import { parseTransformation } from './parse';

/** Names are case-sensitive, `[A-Za-z0-9_]`. */
export const NAME_PATTERN = /^[A-Za-z0-9_]{1,100}$/;

/** At most this many named transformations per tenant (ImageKit's limit), built-ins not counted. */
export const MAX_NAMED = 250;

const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * Built-in named transformations. ImageKit does not publish what `ik_ml_thumbnail` does; ours fits the image
 * inside 200×200 without enlarging it.
 */
export const BUILTIN_NAMED: readonly NamedTransformation[] = Object.freeze([
  Object.freeze({
    id: 'ik_ml_thumbnail',
    name: 'ik_ml_thumbnail',
    description: 'Media library thumbnail (built in)',
    transformation: 'w-200,h-200,c-at_max',
    enabled: true,
    createdAt: EPOCH,
    updatedAt: EPOCH,
  }),
]);

export function isBuiltin(named: Pick<NamedTransformation, 'id' | 'name'>): boolean {
  return BUILTIN_NAMED.some((b) => b.id === named.id || b.name === named.name);
}

/** Every named transformation of the tenant: the built-ins first, then the stored ones. */
export function namedTransformationsOf(tenant: Pick<TenantConfig, 'namedTransformations'>): NamedTransformation[] {
  return [...BUILTIN_NAMED, ...(tenant.namedTransformations ?? []).filter((n) => !isBuiltin(n))];
}

export function findNamed(tenant: Pick<TenantConfig, 'namedTransformations'>, name: string): NamedTransformation | undefined {
  return namedTransformationsOf(tenant).find((n) => n.name === name);
}

const isNamedToken = (token: string) => token.startsWith('n-');
const tokensOf = (text: string) => text.split(':').flatMap((step) => step.split(',')).filter((t) => t !== '');

/** The text has at least one `n-<name>` token. */
export function usesNamed(text: string): boolean {
  return tokensOf(text).some(isNamedToken);
}

/** Every text is empty or made of `n-<name>` tokens only, and at least one token exists. */
export function onlyNamed(...texts: string[]): boolean {
  const tokens = texts.flatMap(tokensOf);
  return tokens.length > 0 && tokens.every(isNamedToken);
}

/** The text has any transformation token at all. */
export function hasTransformation(...texts: string[]): boolean {
  return texts.some((t) => tokensOf(t).length > 0);
}

/** Replaces each `n-<name>` token with its stored transformation; other tokens are left as written. */
export function expandNamed(text: string, lookup: (name: string) => NamedTransformation | undefined): string {
  if (!usesNamed(text)) return text;
  return text
    .split(':')
    .map((step) =>
      step
        .split(',')
        .map((token) => (isNamedToken(token) ? storedText(token.slice(2), lookup) : token))
        .join(','),
    )
    .join(':');
}

function storedText(name: string, lookup: (name: string) => NamedTransformation | undefined): string {
  const named = NAME_PATTERN.test(name) ? lookup(name) : undefined;
  if (!named) {
    throw new HttpError(
      400,
      `Named transformation "${name}" does not exist.`,
      'Named transformations are listed at GET /v1/named-transformations; names are case-sensitive.',
    );
  }
  if (!named.enabled) {
    throw new HttpError(400, `Named transformation "${name}" is disabled.`, 'Enable it with PATCH /v1/named-transformations/:id.');
  }
  const text = stripPrefix(named.transformation);
  if (usesNamed(text)) {
    throw new HttpError(
      400,
      `Named transformation "${name}" refers to another named transformation.`,
      'Named transformations are expanded one level only; store explicit parameters.',
    );
  }
  return text;
}

/** A stored string may be written with the `tr:` of the URL form (as ImageKit's dashboard shows it). */
export function stripPrefix(text: string): string {
  return text.startsWith('tr:') ? text.slice(3) : text;
}

/**
 * Checks a transformation string before it is stored: it must parse with the parameter table and must not
 * itself use `n-`. Returns the string to store (without a leading `tr:`); a bad one is a 400 naming the
 * parameter.
 */
export function validateNamedTransformation(raw: unknown, field = 'transformation'): string {
  if (typeof raw !== 'string' || stripPrefix(raw.trim()) === '') {
    throw new HttpError(400, `Invalid value for "${field}": expected a non-empty transformation string`, 'For example "w-300,h-200:rt-90".');
  }
  const text = stripPrefix(raw.trim());
  if (usesNamed(text)) {
    throw new HttpError(
      400,
      `Invalid value for "${field}": a named transformation cannot use another one ("n-…")`,
      'Named transformations are expanded one level only; write the parameters out.',
    );
  }
  try {
    parseTransformation(text);
  } catch (error) {
    if (error instanceof HttpError) throw new HttpError(400, `Invalid value for "${field}": ${error.message}`, error.help);
    throw error;
  }
  return text;
}
