/**
 * workerd has no ImageData; the codec glue constructs and reads it. A minimal one is enough: the glue
 * only touches data, width and height.
 */
export interface ImageDataLike {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

const scope = globalThis as { ImageData?: unknown };
if (typeof scope.ImageData === 'undefined') {
  scope.ImageData = class ImageData implements ImageDataLike {
    constructor(
      public data: Uint8ClampedArray,
      public width: number,
      public height: number,
    ) {}
  };
}
