/**
 * The Worker the workerd benchmark runs: POST a JPEG or PNG, get the WebP of `tr:w-800` back, rendered by the same
 * code as the Node benchmark (bench/render.ts) on the modules the edgepix Worker bundles.
 */
import '../../src/codecs/wasm/bundled';
import { renderWebp } from '../render';

export default {
  async fetch(request: Request): Promise<Response> {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const { body } = await renderWebp(bytes);
    return new Response(body, { headers: { 'content-type': 'image/webp' } });
  },
};
