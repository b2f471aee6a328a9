/**
 * Encoders that write EncodeOptions.metadata: the encoder's file, with the profile and EXIF put in by the
 * writer of its container (the codecs themselves take pixels only).
 */
import type { Encoder } from '../types';
import type { Metadata } from './jpeg-png';

export function writingMetadata(encoder: Encoder, write: (encoded: Uint8Array, metadata: Metadata) => Uint8Array): Encoder {
  return {
    format: encoder.format,
    mimeType: encoder.mimeType,
    async encode(frame, opts) {
      const encoded = await encoder.encode(frame, opts);
      return opts.metadata && (opts.metadata.icc || opts.metadata.exif) ? write(encoded, opts.metadata) : encoded;
    },
  };
}
