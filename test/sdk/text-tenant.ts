/** What the text layer tests share between the Node setup (text-urls.ts) and workerd (no sharp or SDK there). */

/** The tenant the text URLs are made for; test/workers/delivery/text-layers.test.ts creates it. */
export const TEXT_TENANT = 'sdk-text';

export interface TextUrl {
  name: 'latin' | 'arabic' | 'devanagari' | 'wrapped';
  url: string;
  /** Pango's raster of the same text and font: width, height and base64 RGBA. */
  reference: { width: number; height: number; rgba: string };
}
