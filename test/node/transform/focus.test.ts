/**
 * fo-auto, fo-custom and the _no_enlarge / _no_shrink modes as planned: which operations run with what numbers
 * (where an fo-auto window ends up is src/image/attention.ts, tested in test/node/image/attention.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeHintFor } from '../../../src/transform/decode-hint';
import { focusArea, usesCustomFocus } from '../../../src/transform/focus-area';
import { canonicalize, parseTransformation } from '../../../src/transform/parse';
import { largestFrame, planStep, plannedSizes } from '../../../src/transform/plan';
import type { Region } from '../../../src/transform/planned-ops';

function plan(text: string, width: number, height: number, custom?: Region, current = { width, height }) {
  return planStep(current, parseTransformation(text).steps[0]!, { width, height }, custom);
}

describe('fo-auto', () => {
  it('plans a shrinking cover crop resize-first, the window marked for the attention at the centre', () => {
    expect(plan('w-300,h-300,fo-auto', 1200, 600)).toEqual({
      ops: [
        { op: 'resize', width: 600, height: 300 },
        { op: 'extract', x: 150, y: 0, width: 300, height: 300, focus: 'auto' },
      ],
      size: { width: 300, height: 300 },
    });
  });

  it('cuts the window straight from the image at scale 1, and before an enlarging resize', () => {
    expect(plan('w-600,h-600,fo-auto', 1200, 600).ops).toEqual([{ op: 'extract', x: 300, y: 0, width: 600, height: 600, focus: 'auto' }]);
    expect(plan('w-800,h-800,fo-auto', 400, 200).ops).toEqual([
      { op: 'extract', x: 100, y: 0, width: 200, height: 200, focus: 'auto' },
      { op: 'resize', width: 800, height: 800 },
    ]);
  });

  it('plans the same sizes as a centre crop, and nothing when the aspect ratio already matches', () => {
    for (const text of ['w-300,h-300', 'w-600,h-100', 'w-50,h-400', 'w-2000,h-100']) {
      expect(plan(`${text},fo-auto`, 1200, 600).size).toEqual(plan(text, 1200, 600).size);
    }
    expect(plan('w-600,h-300,fo-auto', 1200, 600).ops).toEqual([{ op: 'resize', width: 600, height: 300 }]);
  });

  it('finds the extract of cm-extract and cm-pad_extract, unless a position is given', () => {
    expect(plan('w-400,h-300,cm-extract,fo-auto', 1200, 600).ops).toEqual([
      { op: 'extract', x: 400, y: 150, width: 400, height: 300, focus: 'auto' },
    ]);
    expect(plan('w-400,h-800,cm-pad_extract,fo-auto', 1200, 600).ops[0]).toEqual({
      op: 'extract', x: 400, y: 0, width: 400, height: 600, focus: 'auto',
    });
    expect(plan('w-400,h-300,cm-extract,fo-auto,x-10,y-20', 1200, 600).ops).toEqual([
      { op: 'extract', x: 10, y: 20, width: 400, height: 300 },
    ]);
  });

  it('places padding at the centre: a padded frame has no window to find', () => {
    expect(plan('w-400,h-400,cm-pad_resize,fo-auto', 800, 400)).toEqual(plan('w-400,h-400,cm-pad_resize', 800, 400));
  });

  it('is a value of its own in the canonical form (fo-center is the default and left out)', () => {
    expect(canonicalize(parseTransformation('fo-auto,h-300,w-300'))).toBe('w-300,h-300,fo-auto');
    expect(canonicalize(parseTransformation('w-300,h-300,fo-center'))).toBe('w-300,h-300');
  });

  it('counts the cover-resized frame in the largest frame, and lets the decoder shrink for it', () => {
    const t = parseTransformation('w-3000,h-100,fo-auto');
    expect(plannedSizes(t, { width: 6000, height: 4000 })).toEqual([{ width: 3000, height: 100 }]);
    expect(largestFrame(t, { width: 6000, height: 4000 })).toEqual({ width: 3000, height: 2000 });
    expect(largestFrame(parseTransformation('w-3000,h-100'), { width: 6000, height: 4000 })).toEqual({ width: 3000, height: 100 });
    expect(decodeHintFor(parseTransformation('w-300,h-300,fo-auto'), { width: 4000, height: 3000 })).toEqual({ minWidth: 400, minHeight: 300 });
  });
});

describe('fo-custom', () => {
  const area = { x: 100, y: 50, width: 200, height: 100 }; // centre (200, 100)

  it('centres a cover crop on the stored area, as near as the image allows', () => {
    expect(plan('w-200,h-400,fo-custom', 1200, 600, area).ops[0]).toEqual({ op: 'extract', x: 50, y: 0, width: 300, height: 600 });
    expect(plan('w-200,h-400,fo-custom', 1200, 600, { x: 0, y: 0, width: 10, height: 10 }).ops[0]).toMatchObject({ x: 0, y: 0 });
    expect(plan('w-200,h-400,fo-custom', 1200, 600, { x: 1190, y: 0, width: 10, height: 10 }).ops[0]).toMatchObject({ x: 900 });
  });

  it('cuts the stored area itself with cm-extract and no size, and centres a sized extract on it', () => {
    expect(plan('cm-extract,fo-custom', 1200, 600, area)).toEqual({
      ops: [{ op: 'extract', ...area }],
      size: { width: 200, height: 100 },
    });
    expect(plan('w-100,h-50,cm-extract,fo-custom', 1200, 600, area).ops).toEqual([{ op: 'extract', x: 150, y: 75, width: 100, height: 50 }]);
  });

  it('scales the area to a reduced input (a decoder scaled by 1/4)', () => {
    expect(plan('cm-extract,fo-custom', 1200, 600, area, { width: 300, height: 150 }).ops).toEqual([
      { op: 'extract', x: 25, y: 13, width: 50, height: 25 },
    ]);
  });

  it('falls back to the centre when the file has no stored area', () => {
    expect(plan('w-200,h-400,fo-custom', 1200, 600)).toEqual(plan('w-200,h-400', 1200, 600));
  });

  it('reads the stored "x,y,width,height" and names the variants that depend on it', () => {
    expect(focusArea('10,20,30,40')).toEqual({ x: 10, y: 20, width: 30, height: 40 });
    for (const bad of [undefined, '', '1,2,3', '1,2,0,4', 'a,b,c,d', '1,2,3,-4']) expect(focusArea(bad)).toBeUndefined();
    expect(usesCustomFocus(parseTransformation('w-10:h-10,fo-custom'))).toBe(true);
    expect(usesCustomFocus(parseTransformation('w-10,h-10,fo-auto'))).toBe(false);
  });
});

describe('_no_enlarge and _no_shrink', () => {
  it('c-maintain_ratio_no_enlarge crops to the aspect ratio but never scales up', () => {
    expect(plan('w-800,h-800,c-maintain_ratio_no_enlarge', 400, 300)).toEqual({
      ops: [{ op: 'extract', x: 50, y: 0, width: 300, height: 300 }],
      size: { width: 300, height: 300 },
    });
    expect(plan('w-200,h-200,c-maintain_ratio_no_enlarge', 400, 300)).toEqual(plan('w-200,h-200', 400, 300));
  });

  it('cm-pad_resize_no_enlarge pads to the box without scaling a small image up', () => {
    const planned = plan('w-800,h-600,cm-pad_resize_no_enlarge', 400, 200);
    expect(planned.ops).toEqual([
      { op: 'pad', width: 800, height: 600, left: 200, top: 200, fill: { kind: 'color', color: { r: 0, g: 0, b: 0, a: 255 } } },
    ]);
    expect(plan('w-200,h-200,cm-pad_resize_no_enlarge', 400, 200)).toEqual(plan('w-200,h-200,cm-pad_resize', 400, 200));
  });

  it('cm-pad_extract_no_shrink pads to at least the box and never cuts the image', () => {
    expect(plan('w-300,h-500,cm-pad_extract_no_shrink', 400, 200)).toEqual({
      ops: [{ op: 'pad', width: 400, height: 500, left: 0, top: 150, fill: { kind: 'color', color: { r: 0, g: 0, b: 0, a: 255 } } }],
      size: { width: 400, height: 500 },
    });
    expect(plan('w-300,h-100,cm-pad_extract_no_shrink', 400, 200)).toEqual({ ops: [], size: { width: 400, height: 200 } });
  });
});
