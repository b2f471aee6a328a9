/** Drives the operator and tenant APIs the way a client would: over HTTP, with real credentials. */
import { env, SELF } from 'cloudflare:test';
import { ORIGIN } from './helpers';

export const ADMIN = { Authorization: `Bearer ${env.PLATFORM_ADMIN_TOKEN}` };

export function basic(privateKey: string, password = ''): Record<string, string> {
  return { Authorization: `Basic ${btoa(`${privateKey}:${password}`)}` };
}

export interface CreatedTenant {
  id: string;
  urlEndpoint: string;
  publicKey: string;
  privateKey: string;
}

let counter = 0;

export async function createTenant(id = `op-${Date.now().toString(36)}-${counter++}`): Promise<CreatedTenant> {
  const res = await SELF.fetch(`${ORIGIN}/admin/v1/tenants`, {
    method: 'POST',
    headers: { ...ADMIN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  if (res.status !== 201) throw new Error(`create tenant: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedTenant;
}

/** A request to the tenant API with a private key. */
export function api(privateKey: string, path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  const headers: Record<string, string> = { ...basic(privateKey), ...(rest.headers as Record<string, string>) };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  return SELF.fetch(`${ORIGIN}${path}`, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) });
}
