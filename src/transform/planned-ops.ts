import type { Rgba } from '../image/frame';
import type { Quad } from '../image/perspective';
import type { LinearGradient } from '../image/linear-gradient';
import type { ShadowOptions } from '../image/shadow';
import type { Background, Radius, UnsharpMask } from './grammars';
import type { Layer } from './layers';

/**
 * One pixel operation with its geometry resolved. A planned step is a list of these, always in the fixed
 * order extract → resize → pad → rotate → flip → effects → distort → shadow → gradient → layers → border → radius →
 * background → opacity.
 */
export type Op =
  /** `focus: 'auto'`: x and y are the centre; the runner moves the window to the most interesting place. */
  | { op: 'extract'; x: number; y: number; width: number; height: number; focus?: 'auto' }
  | { op: 'resize'; width: number; height: number }
  | { op: 'pad'; width: number; height: number; left: number; top: number; fill: Background }
  | { op: 'rotate'; degrees: number; fill: Rgba }
  | { op: 'flip'; horizontal: boolean; vertical: boolean }
  | { op: 'blur'; sigma: number }
  | { op: 'sharpen'; level?: number }
  | { op: 'usm'; usm: UnsharpMask }
  | { op: 'grayscale' }
  | { op: 'contrast' }
  /** `width` × `height`: the canvas the distortion makes (an arc's grows; a perspective keeps the image's). */
  | { op: 'perspective'; quad: Quad; width: number; height: number }
  | { op: 'arc'; degrees: number; width: number; height: number }
  | ({ op: 'shadow' } & ShadowOptions)
  | ({ op: 'gradient' } & LinearGradient)
  | { op: 'radius'; radius: Radius }
  | { op: 'border'; width: number; color: Rgba }
  | { op: 'background'; color: Rgba }
  /** The step's layers, composited in order; `original` is the size `iw ih` mean for the image under them. */
  | { op: 'layers'; layers: Layer[]; original: Dimensions }
  | { op: 'opacity'; percent: number };

export interface Dimensions {
  width: number;
  height: number;
}

/** A rectangle in pixels (a file's stored customCoordinates, for `fo-custom`). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}
