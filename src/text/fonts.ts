/**
 * Fonts for text layers: the platform's families (one file bundled with the Worker, the rest in R2 under
 * `platform/fonts/`, read on first use), and a tenant's own font files from its media library. Open fonts stay
 * in the text module's memory per isolate, the least recently used closed beyond FONT_CACHE_BYTES.
 */
import { closeFont, type OpenFont, openFont, type TextModule } from './engine';

/** R2 prefix of the platform's font files (`npm start` and the tests put them there; `npm run fonts:upload` deploys them). */
export const PLATFORM_FONT_PREFIX = 'platform/fonts/';

/** Total font file bytes kept open per isolate (WASM memory; a font's tables add little beyond its file). */
export const FONT_CACHE_BYTES = 16 * 1024 * 1024;

/** The largest font file a text layer may load (a tenant's file included). */
export const MAX_FONT_BYTES = 8 * 1024 * 1024;

export type FontStyle = 'regular' | 'bold' | 'italic' | 'bold_italic';

export interface PlatformFamily {
  /** The name `ff-` takes (matched without case, spaces, `-` or `_`). */
  name: string;
  /** File per style under PLATFORM_FONT_PREFIX; a missing style is drawn from `regular`, emboldened or slanted. */
  files: Partial<Record<FontStyle, string>> & { regular: string };
  /** Scripts (Unicode script names) this family stands in for when the requested font lacks their glyphs. */
  fallbackFor?: string[];
  licence: string;
}

/** The default family: its regular face is bundled with the Worker (fonts/README.md). */
export const DEFAULT_FAMILY = 'Open Sans';
export const BUNDLED_FONT_FILE = 'OpenSans-Regular.ttf';

export const PLATFORM_FAMILIES: readonly PlatformFamily[] = [
  {
    name: 'Open Sans',
    files: { regular: 'OpenSans-Regular.ttf', bold: 'OpenSans-Bold.ttf', italic: 'OpenSans-Italic.ttf', bold_italic: 'OpenSans-BoldItalic.ttf' },
    licence: 'Apache-2.0',
  },
  { name: 'Roboto', files: { regular: 'Roboto-Regular.ttf' }, licence: 'Apache-2.0' },
  { name: 'Noto Serif', files: { regular: 'NotoSerif-Regular.ttf' }, licence: 'OFL-1.1' },
  { name: 'Noto Sans Mono', files: { regular: 'NotoSansMono-Regular.ttf' }, licence: 'OFL-1.1' },
  { name: 'Noto Sans Arabic', files: { regular: 'NotoSansArabic-Regular.ttf' }, fallbackFor: ['Arabic'], licence: 'OFL-1.1' },
  {
    name: 'Noto Sans Devanagari',
    files: { regular: 'NotoSansDevanagari-Regular.ttf' },
    fallbackFor: ['Devanagari'],
    licence: 'OFL-1.1',
  },
];

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');
const BY_NAME = new Map(PLATFORM_FAMILIES.map((f) => [squash(f.name), f]));

/** The platform family `ff-<name>` names, or undefined. */
export const platformFamily = (name: string): PlatformFamily | undefined => BY_NAME.get(squash(name));

/** The families that stand in for scripts the requested font lacks, for the scripts `text` uses. */
export function fallbackFamilies(text: string): PlatformFamily[] {
  return PLATFORM_FAMILIES.filter((f) => f.fallbackFor?.some((script) => scriptPattern(script).test(text)));
}

const patterns = new Map<string, RegExp>();
function scriptPattern(script: string): RegExp {
  let pattern = patterns.get(script);
  if (!pattern) {
    pattern = new RegExp(`\\p{Script=${script}}`, 'u');
    patterns.set(script, pattern);
  }
  return pattern;
}

/** The file for a style: the family's own face, or the regular one (to be emboldened or slanted). */
export function platformFile(family: PlatformFamily, style: FontStyle): { file: string; synthetic: boolean } {
  const own = family.files[style];
  return own ? { file: own, synthetic: false } : { file: family.files.regular, synthetic: style !== 'regular' };
}

let bundled: Uint8Array | undefined;

/** Registers the bundled default face (the Worker imports it; tests and benchmarks read it from fonts/). */
export function registerBundledFont(bytes: Uint8Array): void {
  bundled = bytes;
}

/** Reads a platform font file: the bundled face from memory, the others from R2. */
export async function readPlatformFont(bucket: R2Bucket | undefined, file: string): Promise<Uint8Array | null> {
  if (file === BUNDLED_FONT_FILE && bundled) return bundled;
  if (!bucket) return null;
  const object = await bucket.get(PLATFORM_FONT_PREFIX + file);
  if (!object || object.size > MAX_FONT_BYTES) return null;
  return new Uint8Array(await object.arrayBuffer());
}

interface Entry {
  font: OpenFont | null;
  /** Requests holding the font open (openFonts until their release): never closed meanwhile. */
  pins: number;
}

/** Per module instance (a discarded instance takes its fonts with it): key → open font, in use order. */
const caches = new WeakMap<TextModule, Map<string, Entry>>();

export interface FontRequest {
  /** The file's identity: `platform:<file>`, `tenant:<id>:<path>:<version>`. */
  key: string;
  /** Reads the file on a miss (null: no such font). */
  read: () => Promise<Uint8Array | null>;
}

export interface OpenedFonts {
  /** Per request: the open font, or null where there is no such file or it is not a font. */
  fonts: (OpenFont | null)[];
  /** Lets the cache close them again; call once, when the request is done with them. */
  release(): void;
}

/**
 * Opens the fonts for `requests`, reading the files of those not open yet, and holds them open until release():
 * the cache closes the least recently used fonts beyond FONT_CACHE_BYTES, never one a request holds. Files that
 * are not fonts are remembered (keys name a file's identity); missing files are not (one uploaded later is found).
 */
export async function openFonts(module: TextModule, requests: FontRequest[]): Promise<OpenedFonts> {
  let cache = caches.get(module);
  if (!cache) {
    cache = new Map();
    caches.set(module, cache);
  }
  const known = cache;
  const files = await Promise.all(requests.map((r) => (known.has(r.key) ? null : r.read())));
  const held: Entry[] = [];
  const fonts = requests.map((r, i) => {
    let entry = known.get(r.key);
    if (entry) {
      known.delete(r.key);
      known.set(r.key, entry); // most recently used last
    } else {
      const bytes = files[i];
      if (!bytes) return null;
      entry = { font: bytes.byteLength <= MAX_FONT_BYTES ? openFont(module, bytes) : null, pins: 0 };
      known.set(r.key, entry);
    }
    entry.pins++;
    held.push(entry);
    return entry.font;
  });
  evict(module, known);
  let released = false;
  return {
    fonts,
    release() {
      if (released) return;
      released = true;
      for (const entry of held) entry.pins--;
      evict(module, known);
    },
  };
}

function evict(module: TextModule, cache: Map<string, Entry>): void {
  let total = 0;
  for (const entry of cache.values()) total += entry.font?.bytes ?? 0;
  for (const [key, entry] of cache) {
    if (total <= FONT_CACHE_BYTES) break;
    if (entry.pins > 0) continue;
    cache.delete(key);
    if (entry.font) {
      total -= entry.font.bytes;
      closeFont(module, entry.font);
    }
  }
}

/** Keys of the fonts open in `module`, least recently used first (tests read the bound). */
export const openFontKeys = (module: TextModule): string[] => [...(caches.get(module)?.keys() ?? [])];
