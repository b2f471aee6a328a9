/**
 * Global setup (Node side) for the text layer tests: URLs with text overlays built by `@imagekit/nodejs`'s
 * `helper.buildSrc`, each with the text's reference raster drawn by Pango (sharp) with the same font file, as
 * base64 RGBA, handed to the workerd tests with `provide('textUrls')` (workerd has neither the SDK's crypto nor
 * sharp).
 */
import ImageKit from '@imagekit/nodejs';
import type { TestProject } from 'vitest/node';
import { pango } from '../shared/text-reference';
import { SDK_ORIGIN } from './provided';
import { TEXT_TENANT, type TextUrl } from './text-tenant';


const CASES: { name: TextUrl['name']; text: string; file: string; family: string; size: number; width?: number; fontFamily?: string }[] = [
  { name: 'latin', text: 'Hello from edgepix, AVATAR', file: 'OpenSans-Regular.ttf', family: 'Open Sans', size: 40 },
  { name: 'arabic', text: 'مرحبا بالعالم', file: 'NotoSansArabic-Regular.ttf', family: 'Noto Sans Arabic', size: 40 },
  { name: 'devanagari', text: 'नमस्ते दुनिया', file: 'NotoSansDevanagari-Regular.ttf', family: 'Noto Sans Devanagari', size: 40, fontFamily: 'NotoSansDevanagari' },
  { name: 'wrapped', text: 'The quick brown fox jumps over the lazy dog', file: 'OpenSans-Regular.ttf', family: 'Open Sans', size: 30, width: 260 },
];

export async function buildTextUrls(): Promise<TextUrl[]> {
  const helper = new ImageKit({ privateKey: 'private_unused' }).helper;
  const urlEndpoint = `${SDK_ORIGIN}/${TEXT_TENANT}`;
  return Promise.all(
    CASES.map(async (c) => {
      const transformation = [
        {
          overlay: {
            type: 'text' as const,
            text: c.text,
            position: { x: 10, y: 10 },
            transformation: [{ fontSize: c.size, fontColor: '000000', innerAlignment: 'left' as const, ...(c.width ? { width: c.width } : {}), ...(c.fontFamily ? { fontFamily: c.fontFamily } : {}) }],
          },
        },
        { format: 'png' as const },
      ];
      const url = helper.buildSrc({ urlEndpoint, src: '/white.png', transformation: transformation as never });
      const frame = await pango(c.text, c.file, c.family, c.size, c.width ? { width: c.width } : {});
      return { name: c.name, url, reference: { width: frame.width, height: frame.height, rgba: Buffer.from(frame.data).toString('base64') } };
    }),
  );
}

declare module 'vitest' {
  export interface ProvidedContext {
    textUrls: TextUrl[];
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('textUrls', await buildTextUrls());
}
