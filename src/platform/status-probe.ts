/**
 * The status prober's cron task: runs the probes and stores their results on the status board.
 *
 * The probes go through this Worker's own fetch handler, called in this invocation, rather than over the
 * network: a Worker's fetch of its own hostname does not come back to it (on workers.dev it is refused, on a
 * route it goes past the Worker to the zone's origin), a service binding to itself would need wrangler.toml to
 * name the deployment, and neither exists under `wrangler dev` or in tests. The in-process call runs the same
 * routes, stages, objects and buckets a client's request does; what it cannot see is Cloudflare's edge in front
 * of the Worker (DNS, TLS), which an outside monitor of /healthz covers.
 */
import type { Env } from '../env';
// A cycle (index.ts → scheduled.ts → here → index.ts), safe because the handler is read only when a cron fires,
// long after every module has run; a dynamic import() would make the bundler wrap every module in a lazy
// initialiser (+17 KB gzip).
import worker from '../index';
import { statusBoard } from '../status/board';
import { forgetReport } from '../status/current';
import { runProbes } from '../status/prober';

export async function probeStatus(_controller: ScheduledController, env: Env, exec: ExecutionContext): Promise<void> {
  // The requests' background work (a variant stored after its answer) is tracked, so the probes can wait for it.
  const background: Promise<unknown>[] = [];
  const context: ExecutionContext = {
    waitUntil: (work: Promise<unknown>) => {
      background.push(work.catch(() => undefined));
      exec.waitUntil(work);
    },
    passThroughOnException: () => exec.passThroughOnException(),
    props: exec.props,
  };
  const settle = async () => void (await Promise.all(background));
  const results = await runProbes(env, (request) => worker.fetch(request, env, context), settle);
  await statusBoard(env).record(results);
  forgetReport();
}
