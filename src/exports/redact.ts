/**
 * A tenant's configuration as an export carries it: built from an allow-list of what each part may show (the
 * same public views the APIs answer with), then walked once more so that any key that names a secret is
 * dropped wherever it sits. A field added later to the config (a backup target's secret, a new credential) is
 * left out by the first rule, and, if someone adds it to the settings object, by the second.
 */
import { describeEndpoint, describeOrigin } from '../origins/config';
import { describeKey } from '../security/keys';
import type { TenantConfig } from '../tenants/config';

/** Keys whose values are secrets or stand for them, whatever object they are in. */
const SECRET_KEY = /secret|ciphertext|password|private|credential|token|accesskey|passphrase|signingkey/i;

export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSecrets) as T;
  if (value === null || typeof value !== 'object') return value;
  const kept = Object.entries(value as Record<string, unknown>).filter(([key]) => !SECRET_KEY.test(key));
  return Object.fromEntries(kept.map(([key, v]) => [key, withoutSecrets(v)])) as T;
}

export function publicConfig(config: TenantConfig) {
  return withoutSecrets({
    id: config.id,
    createdAt: config.createdAt,
    settings: config.settings,
    namedTransformations: config.namedTransformations,
    origins: config.origins.map(describeOrigin),
    urlEndpoints: config.urlEndpoints.map(describeEndpoint),
    webhook: config.webhook && { url: config.webhook.url, urlEndpoint: config.webhook.urlEndpoint, updatedAt: config.webhook.updatedAt },
    sso: config.sso && {
      issuer: config.sso.issuer,
      clientId: config.sso.clientId,
      allowedDomains: config.sso.allowedDomains,
      defaultRole: config.sso.defaultRole,
      required: config.sso.required,
      updatedAt: config.sso.updatedAt,
    },
    domains: config.domains.map((d) => ({ hostname: d.hostname, status: d.status, createdAt: d.createdAt, verifiedAt: d.verifiedAt ?? null })),
    apiKeys: config.keys.map(describeKey),
  });
}
