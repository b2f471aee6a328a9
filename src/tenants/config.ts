/**
 * A tenant's configuration as stored in KV under `tenant:<id>`. Delivery reads it on every request, so it is
 * memoised per isolate for a few seconds; changes take effect within that time everywhere.
 */
export interface DeliveryLimits {
  /** Largest original the pipeline will read, in bytes. */
  maxInputBytes: number;
  /** Largest original (width × height, from the header) the pipeline will decode, in megapixels. */
  maxInputMegapixels: number;
  /** Largest output width or height, in pixels. */
  maxOutputDimension: number;
  /**
   * Largest image any step may produce (width × height), in megapixels: an upscale such as `w-8000` would
   * otherwise allocate hundreds of MB inside a 128 MB isolate.
   */
  maxOutputMegapixels: number;
}

export interface TenantConfig {
  id: string;
  createdAt: string;
  limits: DeliveryLimits;
  /** Quality when the URL has no `q`. */
  defaultQuality: number;
  /** `Cache-Control: max-age` of delivered variants, in seconds. */
  cacheMaxAgeSeconds: number;
}

export const DEFAULT_LIMITS: DeliveryLimits = {
  // imgproxy's defaults; a Worker's 128 MB caps what can really be decoded, see the README's limits.
  maxInputBytes: 40 * 1024 * 1024,
  maxInputMegapixels: 50,
  maxOutputDimension: 8192,
  // 24 MP is a 96 MB RGBA frame: the most one intermediate image can take within a 128 MB isolate.
  maxOutputMegapixels: 24,
};

export function defaultTenantConfig(id: string, now = new Date()): TenantConfig {
  return {
    id,
    createdAt: now.toISOString(),
    limits: { ...DEFAULT_LIMITS },
    defaultQuality: 80,
    cacheMaxAgeSeconds: 31536000,
  };
}

/** Fills in fields an older stored config may lack, so readers always see a whole config. */
export function withDefaults(stored: Partial<TenantConfig> & { id: string }): TenantConfig {
  const base = defaultTenantConfig(stored.id);
  return { ...base, ...stored, limits: { ...base.limits, ...stored.limits } };
}

export const tenantConfigKey = (id: string) => `tenant:${id}`;

/** First path segments that can never be tenant ids: they are the platform's own routes. */
export const RESERVED_IDS = new Set([
  'api',
  'v1',
  'v2',
  'admin',
  'dashboard',
  'healthz',
  'static',
  'assets',
  'favicon.ico',
  'robots.txt',
  'well-known',
  '.well-known',
]);

export const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
