/** Reading what deliveries recorded: events reach the Analytics object in waitUntil, so tests wait for them. */
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import type { DeliveryEvent } from '../../../src/insight/event';
import { type Client, clientInit, ORIGIN } from '../helpers';

const stubOf = (tenantId: string) => env.ANALYTICS.get(env.ANALYTICS.idFromName(tenantId));

interface EventRow extends Omit<DeliveryEvent, 'userAgent' | 'cpuMs' | 'transformed'> {
  user_agent: string;
  cpu_ms: number;
  transformed: number;
}

/** The tenant's raw events, oldest first, once there are `count` of them (or fails after a few seconds). */
export async function eventsOf(tenantId: string, count: number): Promise<EventRow[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = await runInDurableObject(stubOf(tenantId), (_, state) =>
      state.storage.sql.exec<Record<string, SqlStorageValue>>('SELECT * FROM events ORDER BY rowid').toArray(),
    );
    if (rows.length >= count || Date.now() > deadline) return rows as unknown as EventRow[];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function deliverAs(path: string, client: Client = {}): Promise<Response> {
  const response = await SELF.fetch(`${ORIGIN}${path}`, clientInit(client));
  await response.arrayBuffer();
  return response;
}
