/**
 * Workers' WebCrypto has `crypto.subtle.timingSafeEqual`, Node's has not: the security modules use it (through
 * constantTimeEqual), so Node tests add it from node:crypto.
 */
import { timingSafeEqual } from 'node:crypto';

type Bytes = ArrayBuffer | ArrayBufferView;
const view = (b: Bytes) => (ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b));
const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: Bytes, b: Bytes) => boolean };
subtle.timingSafeEqual ??= (a, b) => timingSafeEqual(view(a), view(b));
