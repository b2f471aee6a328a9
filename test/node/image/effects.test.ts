/** e-gradient, e-shadow and e-distort on synthetic frames, each checked against values worked out here. */
import { describe, expect, it } from 'vitest';
import { arc, arcSize } from '../../../src/image/arc';
import { createFrame, type Rgba } from '../../../src/image/frame';
import { gradientLineLength, overlayGradient } from '../../../src/image/linear-gradient';
import { perspective, type Quad } from '../../../src/image/perspective';
import { dropShadow } from '../../../src/image/shadow';
import { frameOf, pixelAt, solid, type Pixel } from './synthetic';

const RED: Rgba = { r: 255, g: 0, b: 0, a: 255 };
const BLUE: Rgba = { r: 0, g: 0, b: 255, a: 255 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 255 };

const near = (actual: Pixel, expected: Pixel, tolerance = 1) =>
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!), `channel ${i}: ${actual} against ${expected}`).toBeLessThanOrEqual(tolerance));

describe('linear gradient', () => {
  it('runs from top to bottom for 180°, each row at its place on the line', () => {
    const frame = overlayGradient(solid(40, 100, BLACK), { degrees: 180, from: RED, to: BLUE, stop: 1 });
    for (const y of [0, 10, 50, 77, 99]) {
      const t = (y + 0.5) / 100;
      near(pixelAt(frame, 13, y), [Math.round(255 * (1 - t)), 0, Math.round(255 * t), 255]);
    }
  });

  it('reaches the to colour at the stop point and keeps it beyond', () => {
    const frame = overlayGradient(solid(200, 20, BLACK), { degrees: 90, from: RED, to: BLUE, stop: 0.5 });
    near(pixelAt(frame, 49, 5), [Math.round(255 * (1 - 49.5 / 100)), 0, Math.round((255 * 49.5) / 100), 255]);
    for (const x of [100, 150, 199]) near(pixelAt(frame, x, 5), [0, 0, 255, 255]);
  });

  it('goes corner to corner at 45°: from at the bottom left, to at the top right', () => {
    const frame = overlayGradient(solid(160, 90, BLACK), { degrees: 45, from: RED, to: BLUE, stop: 1 });
    expect(gradientLineLength(160, 90, 45)).toBeCloseTo((160 + 90) * Math.SQRT1_2, 6);
    expect(pixelAt(frame, 0, 89)[0]).toBeGreaterThan(250);
    expect(pixelAt(frame, 159, 0)[2]).toBeGreaterThan(250);
    // The centre is halfway.
    near(pixelAt(frame, 80, 45), [128, 0, 128, 255], 3);
  });

  it('composites a translucent colour over the image and leaves a transparent to colour off it', () => {
    const white50: Rgba = { r: 255, g: 255, b: 255, a: 128 };
    const clear: Rgba = { r: 0, g: 0, b: 0, a: 0 };
    const frame = overlayGradient(solid(10, 100, { r: 0, g: 0, b: 200, a: 255 }), { degrees: 180, from: white50, to: clear, stop: 1 });
    const a = (128 / 255) * (1 - 0.5 / 100);
    near(pixelAt(frame, 5, 0), [Math.round(255 * a), Math.round(255 * a), Math.round(255 * a + 200 * (1 - a)), 255]);
    near(pixelAt(frame, 5, 99), [1, 1, 200, 255], 2);
    expect(frame.hasAlpha).toBe(false);
  });
});

/** A transparent 100×100 canvas holding an opaque red square at 40–59. */
const square = () => frameOf(100, 100, (x, y) => (x >= 40 && x < 60 && y >= 40 && y < 60 ? [255, 0, 0, 255] : [0, 0, 0, 0]), true);

describe('drop shadow', () => {
  it('lays a black copy of the alpha, moved by the offset and as dark as st, under the image', () => {
    const frame = dropShadow(square(), { sigma: 0, opacity: 0.5, dx: 10, dy: 10 });
    near(pixelAt(frame, 65, 65), [0, 0, 0, 128]);
    near(pixelAt(frame, 50, 65), [0, 0, 0, 128]);
    expect(pixelAt(frame, 45, 45)).toEqual([255, 0, 0, 255]);
    expect(pixelAt(frame, 35, 35)[3]).toBe(0);
    expect(pixelAt(frame, 71, 71)[3]).toBe(0);
  });

  it('moves left and up with negative offsets, and a blur softens it around the same place', () => {
    const frame = dropShadow(square(), { sigma: 3, opacity: 0.8, dx: -15, dy: -5 });
    // Shadow-only pixels (left of and above the square): their alpha-weighted centre is the square's, moved.
    let sum = 0, sx = 0, sy = 0;
    for (let y = 0; y < 100; y++) {
      for (let x = 0; x < 100; x++) {
        const [r, , , a] = pixelAt(frame, x, y);
        if (r > 0) continue;
        sum += a;
        sx += a * x;
        sy += a * y;
      }
    }
    const inside = (x: number, y: number) => x >= 40 && x < 60 && y >= 40 && y < 60;
    // Part of the shadow hides under the square, so the visible part's centre sits further out than the offset.
    expect(sx / sum).toBeLessThan(49.5 - 15 + 1);
    expect(sy / sum).toBeLessThan(49.5 - 5 + 1);
    expect(inside(30, 40)).toBe(false);
    expect(pixelAt(frame, 30, 45)[3]).toBeGreaterThan(150);
    // Softened: at the shadow's outer edge it is partly there, and it has faded out well beyond.
    const edge = pixelAt(frame, 25, 45)[3];
    expect(edge).toBeGreaterThan(40);
    expect(edge).toBeLessThan(160);
    expect(pixelAt(frame, 10, 45)[3]).toBe(0);
  });

  it('changes nothing on an opaque image', () => {
    const frame = solid(20, 20, RED);
    expect(dropShadow(frame, { sigma: 2, opacity: 1, dx: 3, dy: 3 }).data).toEqual(solid(20, 20, RED).data);
  });
});

/** Four quadrants of colour meeting at the centre: red, green / yellow, blue. */
const quadrants = (w: number, h: number) =>
  frameOf(w, h, (x, y) => (y < h / 2 ? (x < w / 2 ? [255, 0, 0, 255] : [0, 255, 0, 255]) : x < w / 2 ? [255, 255, 0, 255] : [0, 0, 255, 255]));

/** Where two lines, each through two points, cross. */
function crossing(a: [number, number], b: [number, number], c: [number, number], d: [number, number]): [number, number] {
  const [x1, y1] = a, [x2, y2] = b, [x3, y3] = c, [x4, y4] = d;
  const den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4);
  const t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den;
  return [x1 + t * (x2 - x1), y1 + t * (y2 - y1)];
}

describe('perspective distortion', () => {
  const quad: Quad = [10, 10, 90, 0, 100, 100, 0, 90];
  const frame = perspective(quadrants(100, 100), quad);

  it('keeps the canvas and puts each corner of the image at its point', () => {
    expect([frame.width, frame.height]).toEqual([100, 100]);
    near(pixelAt(frame, 13, 13), [255, 0, 0, 255]);
    near(pixelAt(frame, 87, 4), [0, 255, 0, 255]);
    near(pixelAt(frame, 96, 96), [0, 0, 255, 255]);
    near(pixelAt(frame, 4, 86), [255, 255, 0, 255]);
    for (const [x, y] of [[3, 3], [2, 40], [60, 1]] as const) expect(pixelAt(frame, x, y)[3]).toBe(0);
  });

  it('maps the image centre to where the quad’s diagonals cross, as a projective map must', () => {
    const [cx, cy] = crossing([10, 10], [100, 100], [90, 0], [0, 90]);
    const at = (dx: number, dy: number) => pixelAt(frame, Math.round(cx + dx), Math.round(cy + dy));
    near(at(-4, -4), [255, 0, 0, 255]);
    near(at(3, -4), [0, 255, 0, 255]);
    near(at(3, 3), [0, 0, 255, 255]);
    near(at(-4, 3), [255, 255, 0, 255]);
  });

  it('is the identity when the corners stay where they are', () => {
    const same = perspective(quadrants(40, 30), [0, 0, 40, 0, 40, 30, 0, 30]);
    expect(same.data).toEqual(quadrants(40, 30).data);
  });
});

describe('arc distortion', () => {
  /** Top half red, bottom half blue. */
  const halves = () => frameOf(200, 50, (_x, y) => (y < 25 ? [255, 0, 0, 255] : [0, 0, 255, 255]));
  // A 90° arc of a 200×50 image: middle radius 200 / (π/2), the top row 25 px outside it, the bottom row 25 inside.
  const middle = 200 / (Math.PI / 2);
  const outer = middle + 25;
  const inner = middle - 25;
  const width = Math.ceil(2 * outer * Math.sin(Math.PI / 4));
  const height = Math.ceil(outer - inner * Math.cos(Math.PI / 4));

  it('grows the canvas to the arc’s bounding box, which the planner learns without pixels', () => {
    expect(arcSize(200, 50, 90)).toEqual({ width, height });
    const bent = arc(halves(), 90);
    expect([bent.width, bent.height]).toEqual([width, height]);
    expect(arcSize(200, 50, -90)).toEqual({ width, height });
  });

  it('curves upwards: the top row on the outer circle, the bottom row on the inner, the middle free', () => {
    const bent = arc(halves(), 90);
    const centre = Math.floor(width / 2);
    near(pixelAt(bent, centre, 3), [255, 0, 0, 255]);
    near(pixelAt(bent, centre, 46), [0, 0, 255, 255]);
    // Below the inner circle at the middle there is nothing.
    expect(pixelAt(bent, centre, 60)[3]).toBe(0);
    // The ends come down: the left end's bottom corner lies low on the canvas, the top corners above it are empty.
    expect(pixelAt(bent, 2, 2)[3]).toBe(0);
    const endY = Math.round(outer - (inner + 5) * Math.cos(Math.PI / 4 - 0.02));
    const endX = Math.round(outer * Math.sin(Math.PI / 4) - (inner + 5) * Math.sin(Math.PI / 4 - 0.02));
    expect(pixelAt(bent, endX, endY)[3]).toBeGreaterThan(200);
  });

  it('curves downwards with a negative angle, the image still upright', () => {
    const bent = arc(halves(), -90);
    const centre = Math.floor(width / 2);
    near(pixelAt(bent, centre, height - 4), [0, 0, 255, 255]);
    near(pixelAt(bent, centre, height - 47), [255, 0, 0, 255]);
    expect(pixelAt(bent, centre, height - 61)[3]).toBe(0);
  });

  it('makes a ring of 360°', () => {
    const ring = arc(createFrame(100, 10, false), 360);
    const r = 100 / (2 * Math.PI) + 5;
    expect(ring.width).toBe(Math.ceil(2 * r));
    expect(ring.height).toBe(Math.ceil(2 * r));
  });
});
