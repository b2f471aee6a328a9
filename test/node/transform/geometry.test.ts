/**
 * Geometry of one step (w, h, ar, dpr, c, cm, fo, x, y, xc, yc) as planned by planStep: which extract, resize
 * and pad operations run, with what numbers, and the resulting size. Semantics follow ImageKit §1.3.
 */
import { describe, expect, it } from 'vitest';
import type { Dimensions } from '../../../src/transform/planned-ops';
import { MAX_PX } from '../../../src/transform/params';
import { parseTransformation } from '../../../src/transform/parse';
import { planStep } from '../../../src/transform/plan';
import { expectBadParam } from './expect-errors';

const BLACK = { kind: 'color', color: { r: 0, g: 0, b: 0, a: 255 } };

/** Plans the single step in `text` for a width × height original (the first step of a chain). */
function plan(text: string, width: number, height: number, current?: Dimensions) {
  const steps = parseTransformation(text).steps;
  expect(steps.length).toBeLessThanOrEqual(1);
  return planStep(current ?? { width, height }, steps[0] ?? {}, { width, height });
}

describe('no geometry parameters', () => {
  it('leaves the image alone', () => {
    expect(plan('', 800, 600)).toEqual({ ops: [], size: { width: 800, height: 600 } });
    expect(plan('c-force,fo-top', 800, 600)).toEqual({ ops: [], size: { width: 800, height: 600 } });
  });

  it('skips a resize to the current size', () => {
    expect(plan('w-800,h-600', 800, 600).ops).toEqual([]);
    expect(plan('w-800', 800, 600).ops).toEqual([]);
  });
});

describe('one dimension', () => {
  it('keeps the aspect ratio from w or h', () => {
    expect(plan('w-400', 800, 600)).toEqual({ ops: [{ op: 'resize', width: 400, height: 300 }], size: { width: 400, height: 300 } });
    expect(plan('h-300', 800, 600)).toEqual({ ops: [{ op: 'resize', width: 400, height: 300 }], size: { width: 400, height: 300 } });
    expect(plan('w-333', 1000, 500).size).toEqual({ width: 333, height: 167 });
  });

  it('enlarges by default, and for every crop strategy except at_max', () => {
    for (const c of ['', ',c-maintain_ratio', ',c-force', ',c-at_least', ',c-at_max_enlarge']) {
      expect(plan(`w-1600${c}`, 800, 600).size).toEqual({ width: 1600, height: 1200 });
    }
  });

  it('never enlarges with c-at_max', () => {
    expect(plan('w-1600,c-at_max', 800, 600)).toEqual({ ops: [], size: { width: 800, height: 600 } });
    expect(plan('h-1200,c-at_max', 800, 600)).toEqual({ ops: [], size: { width: 800, height: 600 } });
    expect(plan('w-400,c-at_max', 800, 600).size).toEqual({ width: 400, height: 300 });
  });

  it('ignores cm-pad_resize without both dimensions', () => {
    expect(plan('w-400,cm-pad_resize', 800, 600).ops).toEqual([{ op: 'resize', width: 400, height: 300 }]);
  });
});

describe('both dimensions: crop strategies', () => {
  it('c-maintain_ratio (the default) crops the source to the box ratio first, then resizes', () => {
    const expected = {
      ops: [
        { op: 'extract', x: 100, y: 0, width: 600, height: 600 },
        { op: 'resize', width: 300, height: 300 },
      ],
      size: { width: 300, height: 300 },
    };
    expect(plan('w-300,h-300', 800, 600)).toEqual(expected);
    expect(plan('w-300,h-300,c-maintain_ratio', 800, 600)).toEqual(expected);
  });

  it('c-maintain_ratio crops a tall source vertically and keeps the box ratio in the crop', () => {
    const { ops } = plan('w-400,h-200', 600, 900);
    expect(ops).toEqual([
      { op: 'extract', x: 0, y: 300, width: 600, height: 300 },
      { op: 'resize', width: 400, height: 200 },
    ]);
  });

  it('c-maintain_ratio enlarges to cover a box larger than the image', () => {
    expect(plan('w-200,h-100', 100, 100)).toEqual({
      ops: [
        { op: 'extract', x: 0, y: 25, width: 100, height: 50 },
        { op: 'resize', width: 200, height: 100 },
      ],
      size: { width: 200, height: 100 },
    });
  });

  it('c-maintain_ratio skips the extract when the ratios already match', () => {
    expect(plan('w-400,h-300', 800, 600).ops).toEqual([{ op: 'resize', width: 400, height: 300 }]);
  });

  it('c-force stretches to exactly w × h without cropping', () => {
    expect(plan('w-300,h-300,c-force', 800, 600)).toEqual({
      ops: [{ op: 'resize', width: 300, height: 300 }],
      size: { width: 300, height: 300 },
    });
  });

  it('c-at_max fits inside the box', () => {
    expect(plan('w-400,h-400,c-at_max', 800, 600)).toEqual({
      ops: [{ op: 'resize', width: 400, height: 300 }],
      size: { width: 400, height: 300 },
    });
  });

  it('c-at_max never enlarges', () => {
    expect(plan('w-1000,h-2000,c-at_max', 800, 600)).toEqual({ ops: [], size: { width: 800, height: 600 } });
    expect(plan('w-900,h-300,c-at_max', 800, 600).size).toEqual({ width: 400, height: 300 });
  });

  it('c-at_max_enlarge fits inside the box, enlarging if needed', () => {
    expect(plan('w-1600,h-1600,c-at_max_enlarge', 800, 600).size).toEqual({ width: 1600, height: 1200 });
    expect(plan('w-400,h-400,c-at_max_enlarge', 800, 600).size).toEqual({ width: 400, height: 300 });
  });

  it('c-at_least covers the box: one side matches, the other is larger', () => {
    expect(plan('w-400,h-400,c-at_least', 800, 600)).toEqual({
      ops: [{ op: 'resize', width: 533, height: 400 }],
      size: { width: 533, height: 400 },
    });
    expect(plan('w-400,h-100,c-at_least', 800, 600).size).toEqual({ width: 400, height: 300 });
  });
});

describe('fo anchors the cover crop', () => {
  // 800×600 into 300×300: the crop is 600×600 with 200px to spare horizontally.
  it.each([
    ['center', 100, 0],
    ['top', 100, 0],
    ['bottom', 100, 0],
    ['left', 0, 0],
    ['right', 200, 0],
    ['top_left', 0, 0],
    ['top_right', 200, 0],
    ['bottom_left', 0, 0],
    ['bottom_right', 200, 0],
  ])('fo-%s on a wide image extracts at x=%i, y=%i', (fo, x, y) => {
    expect(plan(`w-300,h-300,fo-${fo}`, 800, 600).ops[0]).toEqual({ op: 'extract', x, y, width: 600, height: 600 });
  });

  it.each([
    ['center', 0, 100],
    ['top', 0, 0],
    ['bottom', 0, 200],
    ['top_left', 0, 0],
    ['bottom_right', 0, 200],
  ])('fo-%s on a tall image extracts at x=%i, y=%i', (fo, x, y) => {
    expect(plan(`w-300,h-300,fo-${fo}`, 600, 800).ops[0]).toEqual({ op: 'extract', x, y, width: 600, height: 600 });
  });

  it('rounds an odd leftover pixel down for center', () => {
    expect(plan('w-100,h-100', 101, 100).ops[0]).toEqual({ op: 'extract', x: 0, y: 0, width: 100, height: 100 });
  });
});

describe('cm-pad_resize', () => {
  it('fits inside the box and pads to exactly w × h, centred, black by default', () => {
    expect(plan('w-400,h-400,cm-pad_resize', 800, 600)).toEqual({
      ops: [
        { op: 'resize', width: 400, height: 300 },
        { op: 'pad', width: 400, height: 400, left: 0, top: 50, fill: BLACK },
      ],
      size: { width: 400, height: 400 },
    });
  });

  it('puts the image at the anchor and all the padding on the other side', () => {
    const pad = (fo: string, w: number, h: number) =>
      plan(`w-400,h-400,cm-pad_resize,fo-${fo}`, w, h).ops.find((op) => op.op === 'pad');
    // 600×800 becomes 300×400: 100px of horizontal padding.
    expect(pad('left', 600, 800)).toMatchObject({ left: 0, top: 0 });
    expect(pad('right', 600, 800)).toMatchObject({ left: 100, top: 0 });
    expect(pad('center', 600, 800)).toMatchObject({ left: 50, top: 0 });
    // 800×600 becomes 400×300: 100px of vertical padding.
    expect(pad('top', 800, 600)).toMatchObject({ left: 0, top: 0 });
    expect(pad('bottom', 800, 600)).toMatchObject({ left: 0, top: 100 });
    expect(pad('bottom_right', 800, 600)).toMatchObject({ left: 0, top: 100 });
  });

  it('fills with bg, including a blurred background', () => {
    const red = plan('w-400,h-400,cm-pad_resize,bg-red', 800, 600).ops.find((op) => op.op === 'pad');
    expect(red).toMatchObject({ fill: { kind: 'color', color: { r: 255, g: 0, b: 0, a: 255 } } });
    const blurred = plan('w-400,h-400,cm-pad_resize,bg-blurred_20_N30', 800, 600).ops.find((op) => op.op === 'pad');
    expect(blurred).toMatchObject({ fill: { kind: 'blurred', amount: 20, brightness: -30 } });
  });

  it('enlarges a small image to fit, and does not pad when the ratio already matches', () => {
    expect(plan('w-400,h-400,cm-pad_resize', 100, 50).ops).toEqual([
      { op: 'resize', width: 400, height: 200 },
      { op: 'pad', width: 400, height: 400, left: 0, top: 100, fill: BLACK },
    ]);
    expect(plan('w-400,h-300,cm-pad_resize', 800, 600).ops).toEqual([{ op: 'resize', width: 400, height: 300 }]);
  });
});

describe('cm-extract', () => {
  it('cuts w × h from the image without scaling, centred by default', () => {
    expect(plan('w-200,h-100,cm-extract', 800, 600)).toEqual({
      ops: [{ op: 'extract', x: 300, y: 250, width: 200, height: 100 }],
      size: { width: 200, height: 100 },
    });
  });

  it.each([
    ['top_left', 0, 0],
    ['top', 300, 0],
    ['top_right', 600, 0],
    ['left', 0, 250],
    ['center', 300, 250],
    ['right', 600, 250],
    ['bottom_left', 0, 500],
    ['bottom', 300, 500],
    ['bottom_right', 600, 500],
  ])('anchors the area with fo-%s at x=%i, y=%i', (fo, x, y) => {
    expect(plan(`w-200,h-100,cm-extract,fo-${fo}`, 800, 600).ops).toEqual([{ op: 'extract', x, y, width: 200, height: 100 }]);
  });

  it('with one dimension keeps the other at the full image size', () => {
    expect(plan('w-200,cm-extract,fo-left', 800, 600)).toEqual({
      ops: [{ op: 'extract', x: 0, y: 0, width: 200, height: 600 }],
      size: { width: 200, height: 600 },
    });
  });

  it('clips an area larger than the image to the image', () => {
    expect(plan('w-1000,h-100,cm-extract', 800, 600)).toEqual({
      ops: [{ op: 'extract', x: 0, y: 250, width: 800, height: 100 }],
      size: { width: 800, height: 100 },
    });
  });
});

describe('cm-pad_extract', () => {
  it('extracts, then pads up to w × h where the image is smaller', () => {
    expect(plan('w-1000,h-500,cm-pad_extract', 800, 600)).toEqual({
      ops: [
        { op: 'extract', x: 0, y: 50, width: 800, height: 500 },
        { op: 'pad', width: 1000, height: 500, left: 100, top: 0, fill: BLACK },
      ],
      size: { width: 1000, height: 500 },
    });
  });

  it('pads without extracting when the image is smaller on both sides, anchored by fo', () => {
    expect(plan('w-1000,h-1000,cm-pad_extract,fo-top_left,bg-blue', 800, 600)).toEqual({
      ops: [
        { op: 'pad', width: 1000, height: 1000, left: 0, top: 0, fill: { kind: 'color', color: { r: 0, g: 0, b: 255, a: 255 } } },
        { op: 'background', color: { r: 0, g: 0, b: 255, a: 255 } },
      ],
      size: { width: 1000, height: 1000 },
    });
  });

  it('behaves like cm-extract when the area fits', () => {
    expect(plan('w-200,h-100,cm-pad_extract', 800, 600)).toEqual(plan('w-200,h-100,cm-extract', 800, 600));
  });
});

describe('x, y, xc, yc', () => {
  it('x and y give the top-left corner of the extracted area', () => {
    expect(plan('w-100,h-50,x-10,y-20', 800, 600)).toEqual({
      ops: [{ op: 'extract', x: 10, y: 20, width: 100, height: 50 }],
      size: { width: 100, height: 50 },
    });
    expect(plan('w-100,h-50,cm-extract,x-700,y-550', 800, 600).ops[0]).toEqual({ op: 'extract', x: 700, y: 550, width: 100, height: 50 });
  });

  it('xc and yc give its centre', () => {
    expect(plan('w-200,h-100,xc-400,yc-300', 800, 600).ops).toEqual([{ op: 'extract', x: 300, y: 250, width: 200, height: 100 }]);
    expect(plan('w-200,h-100,xc-100,yc-50', 800, 600).ops).toEqual([{ op: 'extract', x: 0, y: 0, width: 200, height: 100 }]);
  });

  it('a missing coordinate falls back to fo', () => {
    expect(plan('w-200,h-100,x-10,fo-bottom', 800, 600).ops).toEqual([{ op: 'extract', x: 10, y: 500, width: 200, height: 100 }]);
    expect(plan('w-200,h-100,yc-50', 800, 600).ops).toEqual([{ op: 'extract', x: 300, y: 0, width: 200, height: 100 }]);
  });

  it('x wins over xc, y over yc', () => {
    expect(plan('w-200,h-100,x-5,xc-400,y-6,yc-300', 800, 600).ops).toEqual([{ op: 'extract', x: 5, y: 6, width: 200, height: 100 }]);
  });

  it('take expressions over the original and current size', () => {
    expect(plan('w-200,h-100,xc-iw_div_2,yc-ih_div_2', 800, 600).ops).toEqual([{ op: 'extract', x: 300, y: 250, width: 200, height: 100 }]);
    expect(plan('w-200,h-100,x-cw_sub_200,y-0', 800, 600).ops).toEqual([{ op: 'extract', x: 600, y: 0, width: 200, height: 100 }]);
  });

  it.each([
    ['w-100,h-50,x-701', 'x'],
    ['w-100,h-50,y-551', 'y'],
    ['w-200,h-100,xc-99', 'xc'],
    ['w-200,h-100,xc-701', 'xc'],
    ['w-200,h-100,yc-49', 'yc'],
    ['w-200,h-100,yc-551', 'yc'],
    ['w-100,h-50,x-iw', 'x'],
    ['w-100,h-50,x-iw_sub_50', 'x'],
    ['w-100,h-50,x-iw_div_0', 'x'],
    ['x-10', 'x'],
  ])('%s puts the area outside the image: a 400 for "%s"', (text, key) => {
    expectBadParam(() => plan(text, 800, 600), key);
  });
});

describe('ar', () => {
  it('derives the missing dimension from w or h', () => {
    expect(plan('w-400,ar-4-3', 1000, 1000).size).toEqual({ width: 400, height: 300 });
    expect(plan('h-300,ar-16-9', 1000, 1000).size).toEqual({ width: 533, height: 300 });
  });

  it('then crops to cover, like w and h together', () => {
    expect(plan('w-400,ar-4-3', 1000, 1000).ops).toEqual([
      { op: 'extract', x: 0, y: 125, width: 1000, height: 750 },
      { op: 'resize', width: 400, height: 300 },
    ]);
  });

  it('is ignored with both w and h, or with neither', () => {
    expect(plan('w-400,h-400,ar-4-3', 1000, 1000).size).toEqual({ width: 400, height: 400 });
    expect(plan('ar-4-3', 1000, 1000)).toEqual({ ops: [], size: { width: 1000, height: 1000 } });
  });

  it('takes expressions', () => {
    expect(plan('w-400,ar-iar_div_2', 800, 600).size).toEqual({ width: 400, height: 600 });
  });

  it('is a 400 when an expression gives no positive ratio', () => {
    expectBadParam(() => plan('w-400,ar-iw_sub_iw', 800, 600), 'ar');
    expectBadParam(() => plan('w-400,ar-iw_div_0', 800, 600), 'ar');
  });
});

describe('dpr', () => {
  it('multiplies w and h', () => {
    expect(plan('w-100,dpr-2', 800, 600).size).toEqual({ width: 200, height: 150 });
    expect(plan('w-100,h-50,dpr-1.5,c-force', 800, 600).size).toEqual({ width: 150, height: 75 });
    expect(plan('w-400,ar-2-1,dpr-2', 1000, 1000).size).toEqual({ width: 800, height: 400 });
  });

  it('applies to the extract area', () => {
    expect(plan('w-100,h-50,cm-extract,dpr-2,fo-top_left', 800, 600).ops).toEqual([{ op: 'extract', x: 0, y: 0, width: 200, height: 100 }]);
  });

  it('does nothing without w or h', () => {
    expect(plan('dpr-2', 800, 600)).toEqual({ ops: [], size: { width: 800, height: 600 } });
  });

  it('clamps to the largest pixel value', () => {
    expect(plan(`w-${MAX_PX},h-10,dpr-2,c-force`, 800, 600).size).toEqual({ width: MAX_PX, height: 20 });
  });

  it('uses the resolved dpr-auto hint', () => {
    const step = parseTransformation('w-100,dpr-auto', { dpr: 3 }).steps[0]!;
    expect(planStep({ width: 800, height: 600 }, step, { width: 800, height: 600 }).size).toEqual({ width: 300, height: 225 });
  });
});

describe('fractions and expressions', () => {
  it('fractions are relative to the current image', () => {
    expect(plan('w-0.5', 800, 600).size).toEqual({ width: 400, height: 300 });
    expect(plan('w-0.5,h-0.25,c-force', 800, 600).size).toEqual({ width: 400, height: 150 });
    expect(plan('w-0.5', 800, 600, { width: 400, height: 300 }).size).toEqual({ width: 200, height: 150 });
  });

  it('iw/ih are the original, cw/ch the current image', () => {
    const current = { width: 400, height: 300 };
    expect(plan('w-iw_div_2', 800, 600, current).size).toEqual({ width: 400, height: 300 });
    expect(plan('w-cw_div_2', 800, 600, current).size).toEqual({ width: 200, height: 150 });
    expect(plan('h-ch_mul_2', 800, 600, current).size).toEqual({ width: 800, height: 600 });
    expect(plan('h-ih_div_3,w-car_mul_100,c-force', 800, 600, current).size).toEqual({ width: 133, height: 200 });
  });

  it('rounds expression results to whole pixels', () => {
    expect(plan('w-iw_div_3,h-10,c-force', 800, 600).size).toEqual({ width: 267, height: 10 });
  });

  it('is a 400 when an expression leaves 1–16383 pixels', () => {
    expectBadParam(() => plan('w-iw_sub_iw', 800, 600), 'w');
    expectBadParam(() => plan('h-ih_mul_100', 800, 600), 'h');
    expectBadParam(() => plan('w-iw_div_0', 800, 600), 'w');
    expectBadParam(() => plan('w-iw_mul_N1', 800, 600), 'w');
  });
});
