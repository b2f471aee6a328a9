/**
 * `wrangler dev` as an operator runs it: a real process group on a persisted state folder, which a test can
 * SIGKILL at any moment and start again on the same state. Its output is kept for the test to read.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const WRANGLER = resolve(ROOT, 'node_modules/.bin/wrangler');
const STARTUP_MS = 90_000;

export interface DevSecrets {
  PLATFORM_ADMIN_TOKEN: string;
  MASTER_KEY: string;
}

export const newSecrets = (): DevSecrets => ({
  PLATFORM_ADMIN_TOKEN: randomBytes(18).toString('base64url'),
  MASTER_KEY: randomBytes(32).toString('base64'),
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export class WranglerDev {
  private child: ChildProcess | null = null;
  /** Everything the process printed, across restarts. */
  output = '';
  url = '';

  constructor(
    private readonly stateDir: string,
    private readonly secrets: DevSecrets,
    /** More `--var`s (e.g. where mail goes in the browser tests, where the transcoder listens). */
    private readonly extraVars: Record<string, string> = {},
    /** Configs to run together on one port (`-c a.toml -c b.toml`); wrangler.toml alone when empty. */
    private readonly configs: string[] = [],
  ) {}

  async start(): Promise<void> {
    const [port, inspector] = [await freePort(), await freePort()];
    // Loopback origins and webhooks are allowed; everything else is as wrangler.toml has it.
    const vars = { ...this.secrets, ALLOW_PRIVATE_ORIGINS: 'true', ...this.extraVars };
    const args = ['dev', ...this.configs.flatMap((config) => ['-c', config]), '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector)];
    args.push('--persist-to', this.stateDir, '--show-interactive-dev-session=false', '--log-level', 'log');
    for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
    // Its own process group, so a kill takes workerd down with wrangler, as a crash of the machine would.
    const child = spawn(WRANGLER, args, {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    });
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    this.url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + STARTUP_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`wrangler dev did not answer within ${STARTUP_MS} ms:\n${this.output}`);
  }

  /** SIGKILL to the whole process group: nothing gets to flush or shut down. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    this.child = null;
  }
}
