// Bounds-checked big/little-endian readers over a Uint8Array.
//
// Every read states how far it may go: `end` is the end of the enclosing chunk/box/segment (default: the data).
// Reading past the data means the file was cut short ('truncated'); reading past an `end` that lies inside the data
// means a length field lies about its structure ('malformed').
import { ProbeError } from './errors';

export function need(b: Uint8Array, offset: number, length: number, end: number = b.length): void {
  const limit = Math.min(end, b.length);
  if (offset >= 0 && length >= 0 && offset + length <= limit) return;
  if (end < b.length) {
    throw new ProbeError('malformed', `${length} bytes at offset ${offset} run past the structure ending at ${end}`);
  }
  throw new ProbeError('truncated', `needs ${length} bytes at offset ${offset}, data ends at ${b.length}`);
}

export function u8(b: Uint8Array, o: number, end?: number): number {
  need(b, o, 1, end);
  return b[o]!;
}

export function u16be(b: Uint8Array, o: number, end?: number): number {
  need(b, o, 2, end);
  return (b[o]! << 8) | b[o + 1]!;
}

export function u16le(b: Uint8Array, o: number, end?: number): number {
  need(b, o, 2, end);
  return b[o]! | (b[o + 1]! << 8);
}

export function u24le(b: Uint8Array, o: number, end?: number): number {
  need(b, o, 3, end);
  return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
}

export function u32be(b: Uint8Array, o: number, end?: number): number {
  need(b, o, 4, end);
  // `>>> 0` keeps values >= 2^31 positive.
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function u32le(b: Uint8Array, o: number, end?: number): number {
  need(b, o, 4, end);
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** `n` bytes as Latin-1 text: chunk/box type codes and brands. */
export function ascii(b: Uint8Array, o: number, n: number, end?: number): string {
  need(b, o, n, end);
  let s = '';
  for (let i = o; i < o + n; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** True when `b` holds `pattern` at `o`; never throws (used for sniffing, where short data just doesn't match). */
export function startsWith(b: Uint8Array, pattern: readonly number[], o = 0): boolean {
  if (o < 0 || o + pattern.length > b.length) return false;
  for (let i = 0; i < pattern.length; i++) if (b[o + i] !== pattern[i]) return false;
  return true;
}
