/**
 * The public status page (docs: README, "Status page"):
 *
 *   GET /status       → 200 HTML: overall state, components with 90 daily bars, open and recent incidents
 *   GET /status.json  → 200 the same data (src/status/report.ts)
 *
 * Both may be cached for 30 s anywhere; the isolate keeps the report 10 s (src/status/current.ts).
 */
import type { IRequest, RouterType } from 'itty-router';
import type { Env } from '../env';
import { currentReport } from '../status/current';
import { pageCsp, renderStatusPage } from '../status/render';
import { json } from './respond';

const CACHE = 'public, max-age=30';

export function registerStatusPageRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get('/status', async (_request: IRequest, env: Env) => {
    const html = renderStatusPage(await currentReport(env));
    return new Response(html, {
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': CACHE,
        'Content-Security-Policy': await pageCsp(),
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
      },
    });
  });
  router.get('/status.json', async (_request: IRequest, env: Env) => json(await currentReport(env), 200, { 'Cache-Control': CACHE }));
}
