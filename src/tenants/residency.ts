/**
 * Where a tenant's data lives (README "Data residency"): its jurisdiction, chosen when the tenant is created and
 * never changed, and what happens while that jurisdiction cannot be reached. Everything that stores a tenant's
 * bytes or addresses its objects asks here, through `storage/media.ts` and `durable/tenant-stub.ts`.
 */
import { HttpError } from '../http/errors';
import { checkField, oneOf, optional } from '../validate/fields';

export const JURISDICTIONS = ['default', 'eu', 'fedramp'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

/** `closed`: never leave the jurisdiction (503 while it is unreachable); `open`: read from outside meanwhile. */
export const FALLBACKS = ['closed', 'open'] as const;
export type Fallback = (typeof FALLBACKS)[number];

export interface Residency {
  jurisdiction: Jurisdiction;
  fallback: Fallback;
}

export const DEFAULT_RESIDENCY: Residency = { jurisdiction: 'default', fallback: 'closed' };

/** The residency fields of the operator's tenant creation, defaults filled in. */
export function residencyFields(body: Record<string, unknown>): Residency {
  return {
    jurisdiction: checkField(body, 'jurisdiction', optional(oneOf(JURISDICTIONS), DEFAULT_RESIDENCY.jurisdiction)),
    fallback: checkField(body, 'fallback', optional(oneOf(FALLBACKS), DEFAULT_RESIDENCY.fallback)),
  };
}

/** The 503 of a tenant whose jurisdiction cannot be reached and whose data may not be served from elsewhere. */
export function jurisdictionUnavailable(jurisdiction: Jurisdiction, why = 'its data may not leave it'): HttpError {
  return new HttpError(
    503,
    `The tenant's data region (${jurisdiction}) is unreachable right now, and ${why}.`,
    'Retry after the seconds in Retry-After.',
    { 'Retry-After': '5' },
    { jurisdiction },
  );
}
