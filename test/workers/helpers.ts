/** Shared helpers for tests that drive the Worker inside workerd. */
import { env, SELF } from 'cloudflare:test';
import { probe } from '../../src/codecs/probe';
import { decoderFor } from '../../src/codecs/registry';
import '../../src/codecs/wasm/bundled';
import type { Frame } from '../../src/image/frame';
import { applyOrientation } from '../../src/image/orient';
import { libraryOf } from '../../src/library/client';
import { ingest, PLAIN_FILE, r2Writer } from '../../src/library/ingest';
import { normalizeFolder, splitFilePath } from '../../src/library/paths';
import { defaultTenantConfig, type DeliveryLimits, type TenantSettings } from '../../src/tenants/config';
import { forgetTenant, saveTenant } from '../../src/tenants/store';
import { mediaOf } from '../../src/storage/media';

export const ORIGIN = 'http://edgepix.test';

const fixtureCache = new Map<string, Uint8Array>();

/** Bytes of a file under test/fixtures (e.g. 'images/exif/Landscape_1.jpg'). */
export async function fixtureBytes(path: string): Promise<Uint8Array> {
  const cached = fixtureCache.get(path);
  if (cached) return cached;
  const response = await env.FIXTURES.fetch(`http://fixtures/${path}`);
  if (!response.ok) throw new Error(`fixture ${path}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  fixtureCache.set(path, bytes);
  return bytes;
}

let tenantCounter = 0;

/** A fresh tenant for one test (storage is shared within a test file, so each test gets its own id). */
/** Settings to change from the defaults; `limits` may name only some limits. */
export type TenantOverrides = Partial<Omit<TenantSettings, 'limits'>> & { limits?: Partial<DeliveryLimits> };

export async function newTenant(overrides: TenantOverrides = {}): Promise<string> {
  const id = `t${Date.now().toString(36)}${(tenantCounter++).toString(36)}`;
  const base = defaultTenantConfig(id);
  const settings = { ...base.settings, ...overrides, limits: { ...base.settings.limits, ...overrides.limits } };
  await saveTenant(env, { ...base, settings });
  forgetTenant(id);
  return id;
}

/**
 * Stores a file in the tenant's media library as it is, the way a file already stored is later found to be
 * (corrupt, a bomb, not an image): no sniffing or checks of the upload API, the content type as given.
 */
export async function putOriginal(
  tenantId: string,
  path: string,
  bytes: Uint8Array,
  contentType = 'image/jpeg',
  options: { isPrivate?: boolean } = {},
) {
  const { folder, name } = splitFilePath(`/${path}`);
  await ingest(
    libraryOf(env, tenantId),
    bytes,
    {
      ...PLAIN_FILE,
      folder: normalizeFolder(folder, 'path'),
      name,
      attributes: { ...PLAIN_FILE.attributes, isPrivate: options.isPrivate ?? false },
      media: {
        size: bytes.length,
        mime: contentType,
        format: name.slice(name.lastIndexOf('.') + 1).toLowerCase(),
        fileType: contentType.startsWith('image/') ? 'image' : 'non-image',
        width: null,
        height: null,
        hasAlpha: null,
        embeddedMetadata: {},
      },
    },
    r2Writer(mediaOf(env, tenantId)),
  );
}

/** Who a test request comes from: its IP and country as Cloudflare reports them, its Referer and User-Agent. */
export interface Client {
  ip?: string;
  country?: string;
  referer?: string;
  userAgent?: string;
}

/** Request options that make a request come from `client`. */
export function clientInit(client: Client): RequestInit {
  const headers: Record<string, string> = {};
  if (client.ip) headers['CF-Connecting-IP'] = client.ip;
  if (client.referer) headers.Referer = client.referer;
  if (client.userAgent) headers['User-Agent'] = client.userAgent;
  const init: RequestInit & { cf?: Record<string, unknown> } = { headers };
  if (client.country) init.cf = { country: client.country };
  return init as RequestInit;
}

export function get(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, init);
}

/** Decodes a delivered image with the Worker's own codecs, upright, for dimension and pixel checks. */
export async function decodeImage(bytes: Uint8Array): Promise<Frame & { format: string }> {
  const info = probe(bytes);
  const frame = await decoderFor(info.format)!.decode(bytes, info, {});
  return { ...applyOrientation(frame, info.orientation), format: info.format };
}

export async function decodeResponse(response: Response): Promise<Frame & { format: string }> {
  return decodeImage(new Uint8Array(await response.arrayBuffer()));
}

export async function json(response: Response): Promise<{ message: string; help: string }> {
  return (await response.json()) as { message: string; help: string };
}
