/**
 * A tenant's configuration as stored in KV under `tenant:<id>`: settings, keys (private keys encrypted),
 * origins, URL endpoints and named transformations. Delivery reads it on every request, so it is memoised
 * per isolate for a few seconds; changes take effect within that time everywhere.
 */
import type { AlertSettings, Quotas } from './alert-settings';
import type { StoredOrigin, StoredUrlEndpoint } from '../origins/config';
import type { ApiKeyRecord } from '../security/keys';
import type { DomainRecord } from './domains';
import type { Role } from '../people/roles';
import { DEFAULT_FORMAT_SETTINGS, type FormatSettings } from './format-settings';
import type { WatermarkSetting } from './watermark';
import type { BlockingRule } from '../security/blocking/rules';

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
  /** Largest file the upload API stores, in bytes (ImageKit's free plan: 25 MB). */
  maxUploadBytes: number;
  /** Largest video a transcoding job reads, in bytes (ImageKit: 300 MB). */
  maxVideoInputBytes: number;
  /** Longest video a transcoding job reads and writes, in seconds. */
  maxVideoSeconds: number;
  /** Most frames an animation may have to be transformed (imgproxy's MAX_ANIMATION_FRAMES), from its header. */
  maxAnimationFrames: number;
  /** Largest canvas (width × height) of an animation, in megapixels (imgproxy's MAX_ANIMATION_FRAME_RESOLUTION). */
  maxAnimationFrameMegapixels: number;
  /** Most pixels all of an animation's frames add up to (frames × canvas), in megapixels: the decoding work. */
  maxAnimationMegapixels: number;
}

export interface AccessRules {
  ipAllow: string[];
  ipBlock: string[];
  countryAllow: string[];
  countryBlock: string[];
  referrerAllow: string[];
  referrerBlock: string[];
  userAgentBlock: string[];
}

/** Which pages may read delivered files from JavaScript (CORS). */
export interface CorsSettings {
  /** `*` or exact https origins (`https://www.example.com`); `*` never applies to private files. */
  allowOrigins: string[];
}

/**
 * Bounds on how many distinct variants URLs can make of one original (a cache-flooding defence): widths and
 * heights snapped up to a step or to allowed values, allowed qualities, and a budget of new variants per original
 * per hour, beyond which the nearest stored variant is served (or the request refused).
 */
export interface VariantBounds {
  /** Pixel widths and heights are rounded up to a multiple of this; null leaves them as asked. */
  sizeStep: number | null;
  /** When not empty, a pixel width becomes the smallest allowed one at least as large (else the largest). */
  widths: number[];
  heights: number[];
  /** When not empty, `q` becomes the nearest allowed quality. */
  qualities: number[];
  /** New variants one original may get per hour; null for no budget. Only cache misses count. */
  newPerOriginalPerHour: number | null;
  /** Beyond the budget: serve the nearest stored variant of the same original, or refuse with a 429. */
  overBudget: 'nearest' | 'refuse';
}

export interface RateLimits {
  deliveryPerIpPerMinute: number | null;
  apiPerKeyPerMinute: number | null;
}

/** What `/v1/accounts/settings` reads and patches. */
export interface TenantSettings {
  restrictUnsignedUrls: boolean;
  restrictUnnamedTransformations: boolean;
  access: AccessRules;
  rateLimit: RateLimits;
  limits: DeliveryLimits;
  /** Quality when the URL has no `q`. */
  defaultQuality: number;
  /** `Cache-Control: max-age` of delivered variants, in seconds. */
  cacheMaxAgeSeconds: number;
  cors: CorsSettings;
  variants: VariantBounds;
  /** What `f-auto` may choose (format-settings.ts). */
  formats: FormatSettings;
  /** A watermark every public delivery gets (watermark.ts); null for none. */
  watermark: WatermarkSetting | null;
  analytics: AnalyticsSettings;
}

/**
 * How delivery analytics keep a client's IP: `truncate` to its /24 (IPv4) or /48 (IPv6) network, `hash` (a keyed
 * SHA-256 that tells clients apart without naming them), or `none` (the whole address).
 */
export interface AnalyticsSettings {
  ipPrivacy: 'truncate' | 'hash' | 'none';
}

export interface NamedTransformation {
  id: string;
  name: string;
  description: string;
  transformation: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Where library events go (`/v1/accounts/webhook`); the signing secret is stored encrypted. */
export interface WebhookConfig {
  url: string;
  secretCiphertext: string;
  /** The deployment's URL endpoint for this tenant when the webhook was set: the base of URLs in payloads. */
  urlEndpoint: string;
  updatedAt: string;
}

/** Single sign-on with OpenID Connect (`/v1/accounts/sso`); the client secret is stored encrypted. */
export interface SsoConfig {
  issuer: string;
  clientId: string;
  clientSecretCiphertext: string;
  /** Email domains allowed to sign in (lower case); empty allows any the IdP vouches for. */
  allowedDomains: string[];
  /** The role of a user made on their first SSO sign-in. */
  defaultRole: Role;
  /** When true, password sign-in (and its reset) is off: everyone signs in through the IdP. */
  required: boolean;
  updatedAt: string;
}

export interface TenantConfig {
  id: string;
  createdAt: string;
  settings: TenantSettings;
  keys: ApiKeyRecord[];
  namedTransformations: NamedTransformation[];
  /** Origins and URL endpoints, as the origins API stores them (credentials encrypted). */
  origins: StoredOrigin[];
  urlEndpoints: StoredUrlEndpoint[];
  webhook: WebhookConfig | null;
  /** Hostnames of its own that deliver its files (src/tenants/domains.ts). */
  domains: DomainRecord[];
  sso: SsoConfig | null;
  /** URLs it refuses to deliver, beside its access rules (src/security/blocking/rules.ts). */
  blockingRules: BlockingRule[];
  /** Alerting (`/v1/accounts/alerts`); absent until first set (alert-settings.ts gives the defaults). */
  alerts?: AlertSettings;
  /** The operator's monthly quotas; absent when none were set. */
  quotas?: Quotas;
}

/**
 * The most a tenant may allow one upload to be. The parsed form holds the file in the isolate's 128 MB (it is
 * hashed and stored as a stream, sniffed from its first 8 MiB), and an isolate serves other requests too.
 */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export const DEFAULT_LIMITS: DeliveryLimits = {
  // imgproxy's defaults; a Worker's 128 MB caps what can really be decoded, see the README's limits.
  maxInputBytes: 40 * 1024 * 1024,
  maxInputMegapixels: 50,
  maxOutputDimension: 8192,
  // 24 MP is a 96 MB RGBA frame: the most one intermediate image can take within a 128 MB isolate.
  maxOutputMegapixels: 24,
  maxUploadBytes: 25 * 1024 * 1024,
  maxVideoInputBytes: 300 * 1024 * 1024,
  maxVideoSeconds: 3600,
  // Every frame is decoded, transformed and encoded: 300 frames of 800×600 (144 MP) take seconds of CPU.
  maxAnimationFrames: 1000,
  maxAnimationFrameMegapixels: 4,
  maxAnimationMegapixels: 400,
};

export function defaultSettings(): TenantSettings {
  return {
    restrictUnsignedUrls: false,
    restrictUnnamedTransformations: false,
    access: {
      ipAllow: [],
      ipBlock: [],
      countryAllow: [],
      countryBlock: [],
      referrerAllow: [],
      referrerBlock: [],
      userAgentBlock: [],
    },
    rateLimit: { deliveryPerIpPerMinute: null, apiPerKeyPerMinute: null },
    limits: { ...DEFAULT_LIMITS },
    defaultQuality: 80,
    cacheMaxAgeSeconds: 31536000,
    cors: { allowOrigins: ['*'] },
    variants: { sizeStep: null, widths: [], heights: [], qualities: [], newPerOriginalPerHour: null, overBudget: 'nearest' },
    formats: { ...DEFAULT_FORMAT_SETTINGS },
    watermark: null,
    analytics: { ipPrivacy: 'truncate' },
  };
}

export function defaultTenantConfig(id: string, now = new Date()): TenantConfig {
  return {
    id,
    createdAt: now.toISOString(),
    settings: defaultSettings(),
    keys: [],
    namedTransformations: [],
    origins: [],
    urlEndpoints: [],
    webhook: null,
    domains: [],
    sso: null,
    blockingRules: [],
  };
}

type StoredConfig = Partial<Omit<TenantConfig, 'settings'>> & {
  id: string;
  settings?: Partial<Omit<TenantSettings, 'access' | 'rateLimit' | 'limits' | 'cors' | 'variants' | 'formats' | 'analytics'>> & {
    cors?: Partial<CorsSettings>;
    variants?: Partial<VariantBounds>;
    access?: Partial<AccessRules>;
    rateLimit?: Partial<RateLimits>;
    limits?: Partial<DeliveryLimits>;
    formats?: Partial<FormatSettings>;
    analytics?: Partial<AnalyticsSettings>;
  };
};

/** Fills in fields an older or hand-written config lacks, so readers always see a whole config. */
export function withDefaults(stored: StoredConfig): TenantConfig {
  const base = defaultTenantConfig(stored.id);
  const settings = stored.settings ?? {};
  return {
    ...base,
    ...stored,
    settings: {
      ...base.settings,
      ...settings,
      access: { ...base.settings.access, ...settings.access },
      rateLimit: { ...base.settings.rateLimit, ...settings.rateLimit },
      limits: { ...base.settings.limits, ...settings.limits },
      cors: { ...base.settings.cors, ...settings.cors },
      variants: { ...base.settings.variants, ...settings.variants },
      formats: { ...base.settings.formats, ...settings.formats },
      analytics: { ...base.settings.analytics, ...settings.analytics },
    },
  };
}

export const tenantConfigKey = (id: string) => `tenant:${id}`;

/** First path segments that can never be tenant ids: they are the platform's own routes. */
export const RESERVED_IDS = new Set([
  'api',
  'v1',
  'v2',
  'admin',
  'dashboard',
  'app',
  'healthz',
  'status',
  'cdn-cgi',
  'static',
  'assets',
  'favicon.ico',
  'robots.txt',
  'well-known',
  '.well-known',
]);

export const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
