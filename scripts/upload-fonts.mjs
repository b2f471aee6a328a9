// `npm run fonts:upload`: puts the platform fonts of text layers (fonts/*.ttf but the bundled default) into the
// R2 bucket under platform/fonts/, where the Worker reads them on first use. `--local` writes wrangler dev's
// local bucket instead (npm start does that before starting it).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const BUCKET = 'edgepix-media';
const BUNDLED = 'OpenSans-Regular.ttf'; // src/text/fonts.ts BUNDLED_FONT_FILE: in the Worker already
const where = process.argv.includes('--local') ? ['--local', '--persist-to', '.wrangler/state'] : ['--remote'];

const files = readdirSync('fonts').filter((f) => f.endsWith('.ttf') && f !== BUNDLED).sort();
for (const file of files) {
  execFileSync(
    'npx',
    ['wrangler', 'r2', 'object', 'put', `${BUCKET}/platform/fonts/${file}`, '--file', `fonts/${file}`, '--content-type', 'font/ttf', ...where],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  );
}
console.log(`put ${files.length} platform fonts into ${BUCKET}/platform/fonts/ (${where[0].slice(2)})`);
