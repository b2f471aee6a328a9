/** A `wrangler dev` on a fresh state folder with one tenant, for the benchmarks that drive the Worker over HTTP. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSecrets, WranglerDev } from '../test/process/wrangler-dev';

export interface DevTenant {
  dev: WranglerDev;
  /** The operator's headers (JSON body). */
  admin: Record<string, string>;
  /** The tenant's key as HTTP Basic. */
  auth: Record<string, string>;
  /** Stops wrangler dev and deletes its state. */
  close(): Promise<void>;
}

export async function startDevTenant(name: string, tenantId = 'bench'): Promise<DevTenant> {
  const state = await mkdtemp(join(tmpdir(), `edgepix-bench-${name}-`));
  const secrets = newSecrets();
  const dev = new WranglerDev(state, secrets);
  const close = async () => {
    await dev.kill();
    await rm(state, { recursive: true, force: true });
  };
  try {
    await dev.start();
    const admin = { Authorization: `Bearer ${secrets.PLATFORM_ADMIN_TOKEN}`, 'Content-Type': 'application/json' };
    const response = await fetch(`${dev.url}/admin/v1/tenants`, { method: 'POST', headers: admin, body: JSON.stringify({ id: tenantId }) });
    const created = (await response.json()) as { privateKey: string };
    const auth = { Authorization: `Basic ${Buffer.from(`${created.privateKey}:`).toString('base64')}` };
    return { dev, admin, auth, close };
  } catch (error) {
    await close();
    throw error;
  }
}
