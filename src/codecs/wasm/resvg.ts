/**
 * resvg (@resvg/resvg-wasm, pinned): the SVG renderer. Its glue keeps one instance per isolate and can be
 * initialised only once, so the first caller initialises it and everyone shares that promise; a failed start is
 * forgotten so the next request tries again. The module is the one wrangler bundles (workerd cannot compile WASM
 * bytes at run time).
 */
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import resvgModule from '@resvg/resvg-wasm/index_bg.wasm';

export type { ResvgRenderOptions } from '@resvg/resvg-wasm';

let ready: Promise<typeof Resvg> | undefined;

export function loadResvg(): Promise<typeof Resvg> {
  ready ??= initWasm(resvgModule).then(
    () => Resvg,
    (error: unknown) => {
      // The glue marks itself initialised only on success, so a retry may start it again.
      ready = undefined;
      throw error;
    },
  );
  return ready;
}
