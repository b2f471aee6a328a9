/**
 * The transcoder in production: a Durable Object that owns one Cloudflare Container running transcoder/ (its
 * Dockerfile), started on first use and left to sleep when idle. The queue consumer reaches it through the
 * `TRANSCODER` binding (transcoder/wrangler.containers.toml) when TRANSCODER_URL is empty; a few named instances
 * spread the jobs, and Cloudflare places them across machines.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../../env';

const PORT = 8080;
const START_ATTEMPTS = 40;

export class TranscoderContainer extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const container = this.ctx.container;
    if (!container) return Response.json({ message: 'this deployment has no transcoder container' }, { status: 503 });
    if (!container.running) {
      container.start({ env: { PORT: String(PORT), HOST: '0.0.0.0', TRANSCODER_TOKEN: this.env.TRANSCODER_TOKEN ?? '' }, enableInternet: true });
    }
    // The process needs a moment to listen after the container starts.
    for (let attempt = 1; ; attempt++) {
      try {
        return await container.getTcpPort(PORT).fetch(request.clone());
      } catch (error) {
        if (attempt >= START_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}

/** How many container instances share the jobs: each job goes to one of them by its id. */
export const CONTAINER_POOL = 5;
