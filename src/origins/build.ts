/**
 * From a tenant's stored origins and URL endpoints to the ordered Origin list delivery walks: the tenant's media
 * library always first, then the endpoint's origins in the order the endpoint lists them.
 */
import type { Env } from '../env';
import { decryptSecret } from '../security/crypto';
import type { Fetcher } from '../security/safe-fetch';
import { policyFor } from '../security/ssrf';
import type { TenantConfig } from '../tenants/config';
import { DEFAULT_ENDPOINT_ID, endpointsOf, type StoredOrigin, type StoredUrlEndpoint, ttlBoundsOf } from './config';
import { WebFolderOrigin, WebProxyOrigin } from './http';
import { AWS_S3_ENDPOINT, S3Origin } from './s3';
import type { Origin } from './types';
import { memo } from '../cache/memo';

export interface OriginEnvironment {
  env: Pick<Env, 'MASTER_KEY' | 'ALLOW_PRIVATE_ORIGINS'>;
  tenant: TenantConfig;
  /** Host of the delivery request, sent as X-Forwarded-Host when an origin asks for it. */
  requestHost?: string;
  timeoutMs?: number;
  fetcher?: Fetcher;
}

/** Decrypted secrets, per isolate: a ciphertext always decrypts to the same text. */
const secrets = memo<Promise<string>>({ capacity: 500 });

function decrypt(env: OriginEnvironment, ciphertext: string): Promise<string> {
  return secrets.get(`${env.tenant.id}|${ciphertext}`, () => decryptSecret(env.env.MASTER_KEY, ciphertext, env.tenant.id));
}

export function buildOrigin(stored: StoredOrigin, at: OriginEnvironment): Origin {
  const common = {
    id: stored.id,
    name: stored.name,
    maxBytes: at.tenant.settings.limits.maxInputBytes,
    ttl: ttlBoundsOf(stored),
    timeoutMs: at.timeoutMs,
    fetcher: at.fetcher,
  };
  switch (stored.type) {
    case 'S3':
    case 'S3_COMPATIBLE': {
      const endpoint = stored.type === 'S3' ? AWS_S3_ENDPOINT : stored.endpoint;
      return new S3Origin({
        ...common,
        endpoint,
        bucket: stored.bucket,
        prefix: stored.prefix,
        forcePathStyle: stored.type === 'S3_COMPATIBLE' ? stored.s3ForcePathStyle : false,
        discoverRegion: stored.type === 'S3',
        policy: policyFor(at.env, [endpoint]),
        credentials: async () => ({
          accessKeyId: await decrypt(at, stored.accessKeyCiphertext),
          secretAccessKey: await decrypt(at, stored.secretKeyCiphertext),
        }),
      });
    }
    case 'WEB_FOLDER':
      return new WebFolderOrigin(stored.baseUrl, {
        ...common,
        policy: policyFor(at.env, [stored.baseUrl]),
        headers: stored.forwardHostHeaderToOrigin && at.requestHost ? { 'X-Forwarded-Host': at.requestHost } : undefined,
      });
    case 'WEB_PROXY':
      // The URL comes from whoever wrote the delivery URL: no configured ports.
      return new WebProxyOrigin({ ...common, policy: policyFor(at.env) });
  }
}

/** The endpoint a URL prefix names ('' is the default endpoint). */
export function findEndpoint(tenant: TenantConfig, urlPrefix: string): StoredUrlEndpoint | undefined {
  return endpointsOf(tenant.urlEndpoints).find((e) => e.urlPrefix === urlPrefix);
}

/** Whether the tenant has a (non-default) endpoint with this prefix. */
export function hasPrefix(tenant: TenantConfig, urlPrefix: string): boolean {
  return urlPrefix !== '' && tenant.urlEndpoints.some((e) => e.id !== DEFAULT_ENDPOINT_ID && e.urlPrefix === urlPrefix);
}

/** The media library first, then the endpoint's origins in order (ids that no longer exist are skipped). */
export function originsFor(library: Origin, endpoint: StoredUrlEndpoint | undefined, at: OriginEnvironment): Origin[] {
  const list: Origin[] = [library];
  for (const id of endpoint?.origins ?? []) {
    const stored = at.tenant.origins.find((o) => o.id === id);
    if (stored) list.push(buildOrigin(stored, at));
  }
  return list;
}
