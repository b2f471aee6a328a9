/**
 * The R2 bucket that holds a tenant's bytes (originals, variants, library files). Every read and write of a
 * tenant's objects goes through here, so where a tenant's data lives is decided in one place.
 */
import type { Env } from '../env';

export function mediaOf(env: Pick<Env, 'MEDIA'>, _tenantId: string): R2Bucket {
  return env.MEDIA;
}
