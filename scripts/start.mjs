// `npm start`: secrets, `wrangler dev` on 127.0.0.1:8787, the demo tenant and its media library, then URLs that work.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureDevVars, readDevVars } from './dev-vars.mjs';
import { DEMO_TENANT, seed } from './seed.mjs';
import { startMailOutbox } from './mail-outbox.mjs';
import { ensureDemoOwner } from './demo-owner.mjs';
import { seedVideo, startTranscoder, TRANSCODER_PORT } from './transcoder.mjs';

const PORT = process.env.PORT ?? '8787';
const CREDENTIALS = '.wrangler/demo-credentials.json';
const BASE = `http://127.0.0.1:${PORT}`;

// The dashboard's files must be built before wrangler serves them from web/dist.
execFileSync(process.execPath, ['scripts/build-dashboard.mjs', '--if-stale'], { stdio: 'inherit' });
if (ensureDevVars()) console.log('created .dev.vars with random PLATFORM_ADMIN_TOKEN and MASTER_KEY');

// The platform fonts of text layers, into the local bucket wrangler dev reads (scripts/upload-fonts.mjs).
execFileSync('node', ['scripts/upload-fonts.mjs', '--local'], { stdio: 'inherit' });

// wrangler dev delivers no mail: the Worker mails this local catcher through the HTTP mail API instead.
const outbox = await startMailOutbox({ port: Number(process.env.MAIL_OUTBOX_PORT ?? 8025) }).catch(() => startMailOutbox({ port: 0 }));
const MAIL_VAR = `MAIL_API_URL:${outbox.url}/send`;
const transcoderVar = `TRANSCODER_URL:http://127.0.0.1:${TRANSCODER_PORT}`;

// Both Workers on one port: the image Worker and the video Worker its VIDEO binding reaches.
const CONFIGS = ['-c', 'wrangler.toml', '-c', 'video.wrangler.toml'];
const dev = spawn('npx', ['wrangler', 'dev', ...CONFIGS, '--ip', '127.0.0.1', '--port', PORT, '--show-interactive-dev-session=false', '--test-scheduled', '--var', MAIL_VAR, '--var', transcoderVar], {
  stdio: ['inherit', 'inherit', 'inherit'],
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
});
const transcoder = startTranscoder();
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (dev.kill(signal), transcoder.kill(signal)));
dev.on('exit', () => outbox.server.close());
dev.on('exit', (code) => process.exit(code ?? 0));
process.on('exit', () => transcoder.kill());

await waitForHealth();
const demo = await ensureDemoTenant();
const seeded = await seed(BASE, demo.privateKey);
console.log(`seeded the "${DEMO_TENANT}" media library: ${seeded.join(', ')}`);
const owner = await ensureDemoOwner({ base: BASE, tenant: DEMO_TENANT, adminToken: readDevVars().PLATFORM_ADMIN_TOKEN, credentialsPath: CREDENTIALS, outbox });
const video = await seedVideo(BASE, demo.privateKey, DEMO_TENANT);
// Cron Triggers do not fire under wrangler dev: the status page's prober runs now and then every minute, as deployed.
const probe = () => fetch(`${BASE}/__scheduled?cron=${encodeURIComponent('* * * * *')}`).catch(() => undefined);
await probe();
setInterval(probe, 60_000).unref();
const videoUrls = video
  ? `
Video (transcoded by the transcoder on 127.0.0.1:${TRANSCODER_PORT}; a first request answers 202 or 302 while it runs):
  ${BASE}/${DEMO_TENANT}${video}/ik-master.m3u8?tr=sr-240_360_720
  ${BASE}/${DEMO_TENANT}/tr:w-480,h-480,cm-pad_resize,bg-blurred${video}
`
  : '';
console.log(`
edgepix is running at ${BASE}

  ${BASE}/${DEMO_TENANT}/tr:w-400,h-300/photos/landscape.jpg
  ${BASE}/${DEMO_TENANT}/photos/portrait.jpg?tr=w-300,r-max,f-png
  ${BASE}/${DEMO_TENANT}/tr:w-600,e-grayscale:rt-10,bg-F0F0F0/photos/landscape.jpg
  ${BASE}/${DEMO_TENANT}/tr:w-200,h-200,cm-pad_resize,bg-blurred/photos/portrait.jpg
  ${BASE}/${DEMO_TENANT}/videos/testsrc2.mp4/ik-thumbnail.jpg?tr=so-2,w-320
  ${BASE}/${DEMO_TENANT}/videos/testsrc2.mp4?tr=so-1,du-3
  ${BASE}/healthz
  ${BASE}/status (the status page, probed every minute; JSON at /status.json)
${videoUrls}
Tenant API (HTTP Basic, private key as user name), e.g.:
  curl -u '${demo.privateKey}:' ${BASE}/v1/accounts/settings
  curl -u '${demo.privateKey}:' '${BASE}/v1/files?searchQuery=tags%20IN%20%5B%22landscape%22%5D'
  curl -u '${demo.privateKey}:' -F file=@seed/graphics/alpha.png -F fileName=mine.png ${BASE}/api/v1/files/upload
  curl -u '${demo.privateKey}:' '${BASE}/v1/accounts/analytics/top?dimension=path'   # the last 7 days' top paths
Demo credentials are kept in ${CREDENTIALS} (git-ignored).

Dashboard sign-in at ${BASE}/app/ — tenant "${DEMO_TENANT}", email ${owner.email}, password ${owner.password}
  then the 6-digit code mailed to that address, readable in the local mail outbox: ${outbox.url}/
`);

/**
 * Creates the demo tenant through the operator API the first time and keeps its key pair locally, since the
 * private key is shown only once.
 */
async function ensureDemoTenant() {
  const { PLATFORM_ADMIN_TOKEN } = readDevVars();
  const res = await fetch(`${BASE}/admin/v1/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${PLATFORM_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: DEMO_TENANT }),
  });
  if (res.status === 201) {
    const created = await res.json();
    writeFileSync(CREDENTIALS, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
    return created;
  }
  if (res.status === 409 && existsSync(CREDENTIALS)) return JSON.parse(readFileSync(CREDENTIALS, 'utf8'));
  throw new Error(`creating the demo tenant failed: ${res.status} ${await res.text()} (delete .wrangler/ to start over)`);
}

async function waitForHealth() {
  for (let i = 0; i < 120; i++) {
    try {
      const res = await fetch(`${BASE}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`wrangler dev did not answer on ${BASE}/healthz within 60 s`);
}
