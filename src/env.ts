/** Bindings, vars and secrets of the Worker (wrangler.toml, `.dev.vars`, `wrangler secret put`). */
export interface Env {
  MEDIA: R2Bucket;
  CONFIG: KVNamespace;
  /** Operator bearer token (secret). */
  PLATFORM_ADMIN_TOKEN: string;
  /** base64 of 32 random bytes; encrypts tenant private keys at rest (secret). */
  MASTER_KEY: string;
  /** "true" only in local development and tests: lets web origins reach private addresses. */
  ALLOW_PRIVATE_ORIGINS: string;
}
