/**
 * Global setup (Node side) for the signed-URL tests: builds signed URLs with `@imagekit/nodejs` 7
 * (`helper.buildSrc`) and the legacy `imagekit` 6 (`url()`), in query and path form, for fixed tenants and keys
 * (test/sdk/provided.ts), and hands them to the workerd tests with `provide('sdkUrls')`.
 */
import ImageKit from '@imagekit/nodejs';
import LegacyImageKit from 'imagekit';
import type { TestProject } from 'vitest/node';
import {
  SDK_FILES,
  SDK_ORIGIN,
  SDK_PREFIX_KEY,
  SDK_PREFIX_TENANT,
  SDK_PRIVATE_KEY,
  SDK_SECOND_KEY,
  SDK_TENANT,
  SDK_URL_PREFIX,
  type SdkFile,
  type SdkUrl,
} from './provided';

const TRANSFORMATION = [{ width: 100, height: 80 }, { rotation: 90 }];
const HOUR = 3600;

type Build = (o: { endpoint: string; path: string; position: 'query' | 'path'; expiresIn?: number; key: string }) => string;

const nodejs7: Build = ({ endpoint, path, position, expiresIn, key }) =>
  new ImageKit({ privateKey: key }).helper.buildSrc({
    urlEndpoint: endpoint,
    src: `/${path}`,
    transformation: TRANSFORMATION,
    transformationPosition: position,
    signed: true,
    ...(expiresIn ? { expiresIn } : {}),
  });

const imagekit6: Build = ({ endpoint, path, position, expiresIn, key }) =>
  new LegacyImageKit({ publicKey: 'public_unused', privateKey: key, urlEndpoint: endpoint }).url({
    path: `/${path}`,
    transformation: TRANSFORMATION,
    transformationPosition: position,
    signed: true,
    ...(expiresIn ? { expireSeconds: expiresIn } : {}),
  });

/** Runs `fn` while `Date` reads `ms` (both SDKs take the time from `new Date()`), to sign already-expired URLs. */
function at<T>(ms: number, fn: () => T): T {
  const Real = Date;
  class Shifted extends Real {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(ms);
      else super(...(args as [string]));
    }
    static override now() {
      return ms;
    }
  }
  globalThis.Date = Shifted as DateConstructor;
  try {
    return fn();
  } finally {
    globalThis.Date = Real;
  }
}

export function buildSdkUrls(): SdkUrl[] {
  const urls: SdkUrl[] = [];
  const endpoint = `${SDK_ORIGIN}/${SDK_TENANT}`;
  for (const [sdk, build] of [['nodejs7', nodejs7], ['imagekit6', imagekit6]] as const) {
    for (const position of ['query', 'path'] as const) {
      for (const file of Object.keys(SDK_FILES) as SdkFile[]) {
        const path = SDK_FILES[file];
        const base = { sdk, position, file };
        urls.push({ ...base, kind: 'forever', url: build({ endpoint, path, position, key: SDK_PRIVATE_KEY }) });
        urls.push({ ...base, kind: 'expiring', url: build({ endpoint, path, position, key: SDK_PRIVATE_KEY, expiresIn: HOUR }) });
        const twoHoursAgo = Date.now() - 2 * HOUR * 1000;
        urls.push({ ...base, kind: 'expired', url: at(twoHoursAgo, () => build({ endpoint, path, position, key: SDK_PRIVATE_KEY, expiresIn: 60 })) });
      }
      const file: SdkFile = 'ascii';
      const path = SDK_FILES[file];
      urls.push({ sdk, position, file, kind: 'second-key', url: build({ endpoint, path, position, key: SDK_SECOND_KEY, expiresIn: HOUR }) });
      const prefixed = `${SDK_ORIGIN}/${SDK_PREFIX_TENANT}/${SDK_URL_PREFIX}`;
      urls.push({ sdk, position, file, kind: 'prefix', url: build({ endpoint: prefixed, path, position, key: SDK_PREFIX_KEY }) });
    }
  }
  return urls;
}

export default function setup(project: TestProject): void {
  project.provide('sdkUrls', buildSdkUrls());
}
