/**
 * A stream's master manifest as the transcoder wrote it names its playlists and segments by bare file names.
 * It is answered at `<file>/ik-master.m3u8`, so each name is pointed into `ik-stream/<job>/`, where those files
 * are served (suffix.ts); names inside the variant playlists then resolve there by themselves.
 */
import { STREAM_SEGMENT } from './suffix';

export function rewriteManifest(text: string, container: 'hls' | 'dash', job: string): string {
  const base = `${STREAM_SEGMENT}/${job}/`;
  if (container === 'hls') {
    // URI lines are the ones that are neither tags nor blank; tags with URI="…" attributes point there too.
    return text
      .split('\n')
      .map((line) => (line === '' || line.startsWith('#') ? line.replace(/URI="([^"/]+)"/g, `URI="${base}$1"`) : `${base}${line.trim()}`))
      .join('\n');
  }
  // DASH: one BaseURL for the whole presentation, before its first Period.
  return text.replace(/(<Period\b)/, `<BaseURL>${base}</BaseURL>\n\t$1`);
}
