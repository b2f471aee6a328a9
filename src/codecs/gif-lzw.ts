/**
 * GIF's variable-length LZW decoder (GIF89a appendix F). Written here rather than taken from omggif, whose decoder
 * can loop forever on crafted data (a table entry whose prefix points forward, then back). Every table entry's
 * prefix is a smaller code, so expanding a code always ends, and the output is cut at the frame's pixel count.
 */
const MAX_CODES = 4096;

/**
 * Decodes `data` (the frame's sub-blocks joined) into `out` (one palette index per pixel, in stored order);
 * returns how many pixels the data covered (a short stream leaves the rest undrawn, as browsers do). Throws a
 * RangeError for a code the table cannot have yet.
 */
export function lzwDecode(data: Uint8Array, minCodeSize: number, out: Uint8Array): number {
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const prefix = new Uint16Array(MAX_CODES);
  const suffix = new Uint8Array(MAX_CODES);
  const stack = new Uint8Array(MAX_CODES + 1);
  for (let c = 0; c < clear; c++) suffix[c] = c;
  let size = minCodeSize + 1;
  let next = end + 1;
  let previous = -1;
  let first = 0;
  let written = 0;
  let bits = 0;
  let held = 0;
  let i = 0;
  while (written < out.length) {
    while (held < size && i < data.length) {
      bits |= data[i++]! << held;
      held += 8;
    }
    if (held < size) break; // the data ends without an end code
    const code = bits & ((1 << size) - 1);
    bits >>>= size;
    held -= size;
    if (code === clear) {
      size = minCodeSize + 1;
      next = end + 1;
      previous = -1;
      continue;
    }
    if (code === end) break;
    if (previous === -1) {
      if (code >= clear) throw new RangeError('the LZW data starts with an undefined code');
      out[written++] = first = code;
      previous = code;
      continue;
    }
    if (code > next) throw new RangeError('the LZW data has an undefined code');
    let sp = 0;
    let c = code;
    if (code === next) {
      stack[sp++] = first;
      c = previous;
    }
    while (c > end) {
      stack[sp++] = suffix[c]!;
      c = prefix[c]!;
    }
    first = c;
    stack[sp++] = c;
    if (next < MAX_CODES) {
      prefix[next] = previous;
      suffix[next] = first;
      next++;
      if (next === 1 << size && size < 12) size++;
    }
    while (sp > 0 && written < out.length) out[written++] = stack[--sp]!;
    previous = code;
  }
  return written;
}
