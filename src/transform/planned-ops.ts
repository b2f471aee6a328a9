import type { Rgba } from '../image/frame';
import type { Background, Radius, UnsharpMask } from './grammars';

/**
 * One pixel operation with its geometry resolved. A planned step is a list of these, always in the fixed
 * order extract → resize → pad → rotate → flip → effects → border → radius → background.
 */
export type Op =
  | { op: 'extract'; x: number; y: number; width: number; height: number }
  | { op: 'resize'; width: number; height: number }
  | { op: 'pad'; width: number; height: number; left: number; top: number; fill: Background }
  | { op: 'rotate'; degrees: number; fill: Rgba }
  | { op: 'flip'; horizontal: boolean; vertical: boolean }
  | { op: 'blur'; sigma: number }
  | { op: 'sharpen'; level?: number }
  | { op: 'usm'; usm: UnsharpMask }
  | { op: 'grayscale' }
  | { op: 'contrast' }
  | { op: 'radius'; radius: Radius }
  | { op: 'border'; width: number; color: Rgba }
  | { op: 'background'; color: Rgba };

export interface Dimensions {
  width: number;
  height: number;
}
