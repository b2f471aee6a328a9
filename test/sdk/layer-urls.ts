/**
 * Global setup (Node side) for the layer tests: URLs with overlays built by `@imagekit/nodejs`'s `helper.buildSrc`
 * (image and solid colour overlays, path and query forms, one signed), handed to the workerd tests with
 * `provide('layerUrls')`. The SDK needs Node's crypto to sign, and does not run inside workerd.
 */
import ImageKit from '@imagekit/nodejs';
import type { TestProject } from 'vitest/node';
import { SDK_ORIGIN } from './provided';

/** The tenant and key the layer URLs are made for; test/workers/delivery/layers.test.ts creates it. */
export const LAYER_TENANT = 'sdk-layers';
export const LAYER_PRIVATE_KEY = 'private_sdkLayersFixedTestKey';

export interface LayerUrl {
  name: 'image-path' | 'image-query' | 'solid' | 'nested' | 'private-signed';
  url: string;
}

export function buildLayerUrls(): LayerUrl[] {
  const helper = new ImageKit({ privateKey: LAYER_PRIVATE_KEY }).helper;
  const urlEndpoint = `${SDK_ORIGIN}/${LAYER_TENANT}`;
  const logo = { type: 'image' as const, input: '/brand/logo.png', position: { x: 4, y: 'N4' } };
  const build = (transformation: object[], transformationPosition: 'path' | 'query' = 'query', signed = false) =>
    helper.buildSrc({ urlEndpoint, src: '/base.png', transformation: transformation as never, transformationPosition, signed });
  return [
    { name: 'image-path', url: build([{ overlay: logo }, { format: 'png' }], 'path') },
    { name: 'image-query', url: build([{ overlay: logo }, { format: 'png' }]) },
    {
      name: 'solid',
      url: build([
        { overlay: { type: 'solidColor', color: '00FF00', position: { focus: 'top_right' }, transformation: [{ width: 20, height: 10, radius: 4 }] } },
        { format: 'png' },
      ]),
    },
    {
      name: 'nested',
      url: build([
        {
          overlay: {
            type: 'solidColor',
            color: 'FFFFFF',
            position: { x: 10, y: 10 },
            transformation: [{ width: 30, height: 20, raw: 'l-image,i-brand@@logo.png,lfo-bottom_right,w-8,l-end' }],
          },
        },
        { format: 'png' },
      ]),
    },
    { name: 'private-signed', url: build([{ overlay: { type: 'image', input: '/private/mark.png' } }, { format: 'png' }], 'query', true) },
  ];
}

declare module 'vitest' {
  export interface ProvidedContext {
    layerUrls: LayerUrl[];
  }
}

export default function setup(project: TestProject): void {
  project.provide('layerUrls', buildLayerUrls());
}
