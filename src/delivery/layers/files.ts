/**
 * The files image layers name: found in the same tenant's library and the request's origins, under the same rules
 * as the base image (a private layer needs a signed URL or a named transformation), and named by version so that
 * the variant's name changes when a layer file does.
 */
import { HttpError } from '../../http/errors';
import { readPublished } from '../../library/published';
import type { Original } from '../../origins/types';
import { everyLayer, type Layer, LAYER_KINDS } from '../../transform/layers';
import type { ParsedContext } from '../context';
import { findOriginal, recordedOriginal } from '../originals';
import { SIGNING_HELP } from '../stages/verify-signature';

/** The image layers of the request's transformation: those whose kind names a file. */
export function fileLayers(ctx: ParsedContext): Layer[] {
  return everyLayer(ctx.transformation.steps)
    .map(({ layer }) => layer)
    .filter((layer) => LAYER_KINDS[layer.kind]!.input === 'path');
}

/** The font files (`ff-<path>`) of the request's text layers. */
export function fontLayers(ctx: ParsedContext): Layer[] {
  return everyLayer(ctx.transformation.steps)
    .map(({ layer }) => layer)
    .filter((layer) => layer.params.ff?.kind === 'file');
}

/** What a layer reads and what to call it in messages: an image layer's input, a text layer's font file. */
interface LayerFileKind {
  pathOf(layer: Layer): string;
  noun: string;
  /** A missing file: a missing layer image is a 404 like a missing original; a font is a parameter (ff) gone wrong. */
  missing(path: string): HttpError;
}
const IMAGE: LayerFileKind = {
  pathOf: (layer) => layer.input!,
  noun: 'layer image',
  missing: (path) =>
    new HttpError(404, `The layer image "${path}" was not found`, 'Name a file of this account in i- (with @@ for /), as its URL path says.'),
};
export const FONT: LayerFileKind = {
  pathOf: (layer) => (layer.params.ff?.kind === 'file' ? layer.params.ff.path : ''),
  noun: 'font file',
  missing: (path) =>
    new HttpError(400, `Invalid transformation parameter ff: the font file "${path}" was not found`, 'Upload the .ttf/.otf to your media library and name its path in ff- with @@ for / (ff-fonts@@brand.ttf).'),
};

/** Each layer file by path; checks that the request may see it. */
export async function findLayerFiles(ctx: ParsedContext, layers: Layer[], what: LayerFileKind = IMAGE): Promise<Map<string, Original>> {
  const files = new Map<string, Original>();
  for (const layer of layers) {
    const path = what.pathOf(layer);
    let file = files.get(path);
    if (!file) {
      file = await ctx.timing.time('origin', () => findLayerFile(ctx, path, what));
      files.set(path, file);
    }
    // The tenant's own watermark may use a private file; a URL's layer follows the rules of any file.
    if (file.isPrivate && !ctx.signed && !ctx.namedOnly && !ctx.watermarkLayers?.has(layer)) {
      throw new HttpError(401, `The ${what.noun} "${path}" is private: the URL must be signed, or use a named transformation.`, SIGNING_HELP);
    }
  }
  return files;
}

/** What the library last published about the path (no call to its object), else the origins in order. */
async function findLayerFile(ctx: ParsedContext, path: string, what: LayerFileKind): Promise<Original> {
  const published = await readPublished(ctx.env.CONFIG, ctx.tenant.id, `/${path}`);
  if (published) {
    const { versionId, size, mime, isPrivate, updatedAt } = published;
    return recordedOriginal(ctx, { path, etag: versionId, size, contentType: mime, isPrivate, lastModified: new Date(updatedAt) });
  }
  const found = await findOriginal(ctx, path);
  if (!found) {
    throw what.missing(path);
  }
  return found;
}

/** The layers' files by path and version: part of the variant's name. */
export function layerIdentity(files: Map<string, Original>): string {
  return [...files].map(([path, file]) => `${path}@${file.etag}`).sort().join('\n');
}
