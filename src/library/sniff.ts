/**
 * What an uploaded file really is, from its bytes: the declared content type is not trusted (ImageKit's Node SDK
 * sends every part as application/octet-stream anyway). Nothing here decodes pixels.
 *
 * Order: the project's header probe for the five formats edgepix decodes (which also yields dimensions), then SVG
 * from its text, then `file-type` for everything else (PDF, video, fonts, archives, …), then the file name's
 * extension as the format of last resort.
 */
import { fileTypeFromBuffer } from 'file-type';
import { probe, ProbeError, sniffFormat, uprightSize } from '../codecs/probe';
import { svgRootTag } from '../codecs/probe/svg';
import { type ImageFormat, MIME_TYPES } from '../codecs/types';
import { HttpError } from '../http/errors';

export interface SniffResult {
  mime: string;
  /** As ImageKit reports it: jpg, png, webp, avif, gif, svg, pdf, mp4, … ('' when unknown). */
  format: string;
  fileType: 'image' | 'non-image';
  /** As displayed, i.e. after EXIF orientation (5–8 swap the stored dimensions). */
  width?: number;
  height?: number;
  hasAlpha?: boolean;
}

/** ImageKit's name for each image format (`format` in file records and metadata). */
export const FORMAT_NAMES: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif', heic: 'heic', svg: 'svg' };
const PROBED_MIMES = new Set<string>(Object.values(MIME_TYPES));

export async function sniffFile(bytes: Uint8Array, fileName: string): Promise<SniffResult> {
  const format = sniffFormat(bytes);
  if (format) return probedImage(bytes, format, fileName);

  const svg = sniffSvg(bytes);
  if (svg) return svg;

  // `file-type` reads only the header (and, for zip-based formats, the archive's directory), never pixel data.
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    // One of our own formats that our probe did not recognise (an unusual brand, a damaged signature): storing it
    // as an image that delivery then cannot open would only move the failure.
    if (PROBED_MIMES.has(detected.mime)) throw corrupt(fileName, detected.ext, 'unrecognised header');
    const fileType = detected.mime.startsWith('image/') ? 'image' : 'non-image';
    return { mime: detected.mime, format: detected.ext, fileType };
  }

  return { mime: 'application/octet-stream', format: extensionOf(fileName), fileType: 'non-image' };
}

function probedImage(bytes: Uint8Array, format: ImageFormat, fileName: string): SniffResult {
  try {
    const info = probe(bytes);
    return {
      mime: MIME_TYPES[info.format],
      format: FORMAT_NAMES[info.format],
      fileType: 'image',
      ...uprightSize(info),
      hasAlpha: info.hasAlpha,
    };
  } catch (e) {
    if (e instanceof ProbeError) throw corrupt(fileName, FORMAT_NAMES[format], e.message);
    throw e;
  }
}

const corrupt = (fileName: string, format: string, why: string) =>
  new HttpError(
    400,
    `The file "${fileName}" looks like a ${format.toUpperCase()} image but its header cannot be read (${why})`,
    'Upload the complete, undamaged file.',
  );

/**
 * An SVG document: optional BOM, XML declaration, comments, processing instructions and doctype, then an `<svg`
 * root element. Width and height come from the root's attributes when they are plain numbers (or px).
 */
export function sniffSvg(bytes: Uint8Array): SniffResult | undefined {
  const root = svgRootTag(bytes);
  if (root === undefined) return undefined;
  const result: SniffResult = { mime: 'image/svg+xml', format: 'svg', fileType: 'image' };
  const width = numericAttribute(root, 'width');
  const height = numericAttribute(root, 'height');
  if (width !== undefined) result.width = width;
  if (height !== undefined) result.height = height;
  return result;
}

function numericAttribute(tag: string, name: string): number | undefined {
  // Preceded by whitespace, so `stroke-width` is not `width`.
  const match = new RegExp(`\\s${name}\\s*=\\s*(["'])\\s*([0-9]*\\.?[0-9]+)(?:px)?\\s*\\1`).exec(tag);
  if (!match) return undefined;
  const value = Math.round(Number(match[2]));
  return value > 0 ? value : undefined;
}

/** The last extension of a file name, lowercased ('' for none, or for something that is not an extension). */
function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return '';
  const ext = fileName.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(ext) ? ext : '';
}
