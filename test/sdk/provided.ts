/**
 * URLs signed by the real ImageKit SDKs, made in Node by test/sdk/global-setup.ts (the SDKs need Node's crypto,
 * and do not run inside workerd) and handed to the workerd tests through provide/inject. The tests create the
 * tenant under these fixed ids with these fixed private keys. Constants and types only: both sides import it.
 */

/** Same as ORIGIN in test/workers/helpers.ts (which cannot be imported from Node). */
export const SDK_ORIGIN = 'http://edgepix.test';
/** The tenant the signed URLs point at; test/workers/delivery/signed-urls.test.ts creates it. */
export const SDK_TENANT = 'sdk-signed';
/** Tenant with a URL endpoint prefix: URLs signed against `<origin>/<tenant>/<prefix>`. */
export const SDK_PREFIX_TENANT = 'sdk-signed-prefix';
export const SDK_URL_PREFIX = 'shop';
export const SDK_PRIVATE_KEY = 'private_sdkFixedTestKeyNumberOne+/=';
/** The key of SDK_PREFIX_TENANT (a private key belongs to one tenant). */
export const SDK_PREFIX_KEY = 'private_sdkFixedTestKeyOfThePrefixTenant';
/** A second key of the same tenant (deleted with a delay in the tests). */
export const SDK_SECOND_KEY = 'private_sdkFixedTestKeyNumberTwo';

/** Files the URLs name; non-ASCII, spaces and a `^` (encoded differently by Node's URL and workerd's). */
export const SDK_FILES = {
  ascii: 'photos/cat.jpg',
  unicode: 'fötos/my image é 日本.jpg',
  caret: 'odd/a^b (1).jpg',
  private: 'private/secret.jpg',
} as const;
export type SdkFile = keyof typeof SDK_FILES;

/** `[{ width: 100, height: 80 }, { rotation: 90 }]`: a 100×80 crop, then turned to 80×100. */
export const SDK_TRANSFORMATION = 'w-100,h-80:rt-90';

export interface SdkUrl {
  sdk: 'nodejs7' | 'imagekit6';
  position: 'query' | 'path';
  file: SdkFile;
  /**
   * forever: signed without expiry; expiring: expires in an hour; expired: expired a while ago;
   * second-key: signed with SDK_SECOND_KEY; prefix: through the URL endpoint with SDK_URL_PREFIX.
   */
  kind: 'forever' | 'expiring' | 'expired' | 'second-key' | 'prefix';
  url: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sdkUrls: SdkUrl[];
  }
}
