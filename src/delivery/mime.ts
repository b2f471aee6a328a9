import { type OutputFormat, MIME_TYPES } from '../codecs/types';
import { EXTENSIONS } from './format';

/** File extension for a delivered content type (for download names). */
export function extensionOf(contentType: string): string | undefined {
  const entry = Object.entries(MIME_TYPES).find(([, mime]) => mime === contentType);
  return entry ? EXTENSIONS[entry[0] as OutputFormat] : undefined;
}
