/** Byte helpers of the metadata writers. */
export { concat } from '../concat';

export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
