/**
 * Puts the platform fonts into the test bucket where the Worker reads them (what `npm start` and
 * `npm run fonts:upload` do with wrangler). The files are imported through wrangler.toml's Data rule.
 */
import { env } from 'cloudflare:test';
import notoSansArabic from '../../../fonts/NotoSansArabic-Regular.ttf';
import notoSansDevanagari from '../../../fonts/NotoSansDevanagari-Regular.ttf';
import notoSansMono from '../../../fonts/NotoSansMono-Regular.ttf';
import notoSerif from '../../../fonts/NotoSerif-Regular.ttf';
import openSansBold from '../../../fonts/OpenSans-Bold.ttf';
import openSansBoldItalic from '../../../fonts/OpenSans-BoldItalic.ttf';
import openSansItalic from '../../../fonts/OpenSans-Italic.ttf';
import roboto from '../../../fonts/Roboto-Regular.ttf';
import { PLATFORM_FONT_PREFIX } from '../../../src/text/fonts';

export const PLATFORM_FONT_FILES: Record<string, ArrayBuffer> = {
  'NotoSansArabic-Regular.ttf': notoSansArabic,
  'NotoSansDevanagari-Regular.ttf': notoSansDevanagari,
  'NotoSansMono-Regular.ttf': notoSansMono,
  'NotoSerif-Regular.ttf': notoSerif,
  'OpenSans-Bold.ttf': openSansBold,
  'OpenSans-BoldItalic.ttf': openSansBoldItalic,
  'OpenSans-Italic.ttf': openSansItalic,
  'Roboto-Regular.ttf': roboto,
};

export async function putPlatformFonts(): Promise<void> {
  await Promise.all(Object.entries(PLATFORM_FONT_FILES).map(([file, bytes]) => env.MEDIA.put(PLATFORM_FONT_PREFIX + file, bytes)));
}
