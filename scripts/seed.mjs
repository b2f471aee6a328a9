// Seeds the running Worker's `demo` tenant with the photos (and the demo video) in seed/, through the upload API as any client
// would. Idempotent: a file that is already there is left alone (overwriteFile=false answers 409).
import { readFile } from 'node:fs/promises';

export const DEMO_TENANT = 'demo';

const FILES = [
  { folder: '/photos', name: 'landscape.jpg', source: 'seed/photos/landscape.jpg', tags: 'demo,landscape' },
  { folder: '/photos', name: 'portrait.jpg', source: 'seed/photos/portrait.jpg', tags: 'demo,portrait' },
  { folder: '/graphics', name: 'alpha.png', source: 'seed/graphics/alpha.png', tags: 'demo' },
  // testsrc2 and a tone, written by scripts/make-video-fixtures.mjs.
  { folder: '/videos', name: 'testsrc2.mp4', source: 'seed/video/testsrc2.mp4', tags: 'demo,video' },
];

export async function seed(base, privateKey) {
  for (const file of FILES) await uploadFile(base, privateKey, file, await readFile(file.source));
  return FILES.map((f) => `${f.folder}/${f.name}`);
}

/** Uploads `bytes` as `file` ({folder, name, tags}) unless a file is already at that path. */
export async function uploadFile(base, privateKey, file, bytes) {
  const authorization = `Basic ${Buffer.from(`${privateKey}:`).toString('base64')}`;
  const form = new FormData();
  form.append('file', new Blob([bytes]), file.name);
  form.append('fileName', file.name);
  form.append('folder', file.folder);
  form.append('tags', file.tags);
  form.append('useUniqueFileName', 'false');
  form.append('overwriteFile', 'false');
  const res = await fetch(`${base}/api/v1/files/upload`, { method: 'POST', headers: { Authorization: authorization }, body: form });
  if (!res.ok && res.status !== 409) throw new Error(`seeding ${file.name} failed: ${res.status} ${await res.text()}`);
}
