/** A probe's verdict from what it meets: a slow answer is degraded, no answer in time is down. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { COMPONENTS } from '../../../src/status/components';
import { runProbes } from '../../../src/status/prober';

const API_DEGRADED_AFTER = COMPONENTS.find((c) => c.id === 'api')!.degradedAfterMs;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('probe verdicts', () => {
  it('marks a slow right answer degraded and a missing answer down, and the others ok', async () => {
    const exec = createExecutionContext();
    const timeoutMs = API_DEGRADED_AFTER + 1_000;
    const results = await runProbes(
      env,
      async (request) => {
        const path = new URL(request.url).pathname;
        if (path === '/v1/accounts/video-jobs') return new Promise<Response>(() => undefined);
        if (path === '/v1/files') await sleep(API_DEGRADED_AFTER + 100);
        return worker.fetch!(request as Request<unknown, IncomingRequestCfProperties>, env, exec);
      },
      () => waitOnExecutionContext(exec),
      timeoutMs,
    );
    const byId = Object.fromEntries(results.map((r) => [r.component, r]));
    expect(byId.video).toMatchObject({ state: 'down', detail: `no answer within ${timeoutMs} ms` });
    expect(byId.video!.latencyMs).toBeGreaterThanOrEqual(timeoutMs);
    expect(byId.api).toMatchObject({ state: 'degraded', detail: '' });
    expect(byId.api!.latencyMs).toBeGreaterThan(API_DEGRADED_AFTER);
    for (const id of ['delivery', 'transformations', 'uploads']) expect(byId[id]!.detail).toBe('');
  });
});
