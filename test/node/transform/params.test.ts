/**
 * The parameter table, key by key: every key in PARAMS has valid values that parse to the expected typed value
 * and invalid values that are a 400 naming the key. The table below must cover every key, so a new parameter
 * cannot be added without tests.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PX, PARAM_KEYS, PARAMS, isParamKey, type ParamKey } from '../../../src/transform/params';
import { parseTransformation, type ClientHints } from '../../../src/transform/parse';
import { expectBadParam } from './expect-errors';

const RED = { r: 255, g: 0, b: 0, a: 255 };
const px = (value: number) => ({ kind: 'px', value });
const fraction = (value: number) => ({ kind: 'fraction', value });
const expr = (source: string, tokens: unknown[]) => ({ kind: 'expr', expr: { source, tokens } });
const corners = (tl: number, tr: number, br: number, bl: number) => ({ tl, tr, br, bl });

interface KeyCases {
  /** Whole tokens as they appear in a URL, with the typed value they must parse to. */
  valid: [token: string, expected: unknown][];
  /** Whole tokens that must be a 400 BadParam for this key. */
  invalid: string[];
}

const lengthCases = (key: 'w' | 'h'): KeyCases => ({
  valid: [
    [`${key}-300`, px(300)],
    [`${key}-1`, px(1)],
    [`${key}-${MAX_PX}`, px(MAX_PX)],
    [`${key}-0300`, px(300)],
    [`${key}-0.5`, fraction(0.5)],
    [`${key}-0.25`, fraction(0.25)],
    [`${key}-iw_div_2`, expr('iw_div_2', ['iw', 'div', 2])],
    [`${key}-ch_mul_0.8_add_N10`, expr('ch_mul_0.8_add_N10', ['ch', 'mul', 0.8, 'add', -10])],
  ],
  invalid: [
    `${key}-0`,
    `${key}-N10`,
    `${key}--10`,
    `${key}-${MAX_PX + 1}`,
    `${key}-99999`,
    `${key}-1.0`,
    `${key}-1.5`,
    `${key}-0.0`,
    `${key}-auto`,
    `${key}-abc`,
    `${key}-iw_div`,
    `${key}-iw_foo_2`,
    `${key}-bw_div_2`,
    `${key}-`,
    key,
  ],
});

const coordinateCases = (key: 'x' | 'y' | 'xc' | 'yc'): KeyCases => ({
  valid: [
    [`${key}-0`, px(0)],
    [`${key}-120`, px(120)],
    [`${key}-${MAX_PX}`, px(MAX_PX)],
    [`${key}-iw_div_4`, expr('iw_div_4', ['iw', 'div', 4])],
    [`${key}-cw_sub_100`, expr('cw_sub_100', ['cw', 'sub', 100])],
  ],
  invalid: [`${key}-${MAX_PX + 1}`, `${key}-N10`, `${key}-1.5`, `${key}-abc`, `${key}-`, key],
});

const boolCases = (key: 'pr' | 'lo' | 'md' | 'cp' | 'orig'): KeyCases => ({
  valid: [
    [`${key}-true`, true],
    [`${key}-false`, false],
  ],
  invalid: [`${key}-TRUE`, `${key}-1`, `${key}-yes`, `${key}-`, key],
});

const flagCases = (key: 'e-grayscale' | 'e-contrast'): KeyCases => ({
  valid: [
    [key, true],
    [`${key}-true`, true],
  ],
  invalid: [`${key}-5`, `${key}-false`, `${key}-`, `${key}-yes`],
});

const CASES: Record<ParamKey, KeyCases> = {
  t: {
    valid: [
      ['t-true', 10],
      ['t-1', 1],
      ['t-42', 42],
      ['t-99', 99],
    ],
    invalid: ['t-0', 't-100', 't-false', 't-1.5', 't-abc', 't-', 't'],
  },
  // w-auto is the width client hint (test/node/transform/variant-bounds.test.ts); near misses stay a 400.
  w: { ...lengthCases('w'), invalid: [...lengthCases('w').invalid.filter((t) => t !== 'w-auto'), 'w-autos', 'w-Auto'] },
  h: lengthCases('h'),
  ar: {
    valid: [
      ['ar-4-3', { kind: 'ratio', width: 4, height: 3 }],
      ['ar-16-9', { kind: 'ratio', width: 16, height: 9 }],
      ['ar-1.5-1', { kind: 'ratio', width: 1.5, height: 1 }],
      ['ar-iar_div_2', expr('iar_div_2', ['iar', 'div', 2])],
    ],
    invalid: ['ar-4-0', 'ar-0-3', 'ar-4', 'ar-4-3-2', 'ar-10001-1', 'ar-a-b', 'ar-N4-3', 'ar-', 'ar'],
  },
  dpr: {
    valid: [
      ['dpr-0.1', 0.1],
      ['dpr-1', 1],
      ['dpr-2.5', 2.5],
      ['dpr-5', 5],
      ['dpr-auto', 1],
    ],
    invalid: ['dpr-0', 'dpr-0.09', 'dpr-5.1', 'dpr-6', 'dpr-N1', 'dpr-AUTO', 'dpr-two', 'dpr-', 'dpr'],
  },
  c: {
    valid: (['maintain_ratio', 'maintain_ratio_no_enlarge', 'force', 'at_least', 'at_max', 'at_max_enlarge'] as const).map(
      (v) => [`c-${v}`, v],
    ),
    invalid: ['c-fit', 'c-FORCE', 'c-maintain_ratio_no_shrink', 'c-', 'c'],
  },
  cm: {
    valid: (['pad_resize', 'pad_resize_no_enlarge', 'extract', 'pad_extract', 'pad_extract_no_shrink'] as const).map(
      (v) => [`cm-${v}`, v],
    ),
    invalid: ['cm-crop', 'cm-Extract', 'cm-extract_no_shrink', 'cm-', 'cm'],
  },
  fo: {
    valid: (
      ['center', 'top', 'left', 'bottom', 'right', 'top_left', 'top_right', 'bottom_left', 'bottom_right', 'auto', 'custom'] as const
    ).map((v) => [`fo-${v}`, v]),
    // face and COCO objects need a detection model, which edgepix does not run.
    invalid: ['fo-middle', 'fo-AUTO', 'fo-face', 'fo-person', 'fo-TOP', 'fo-', 'fo'],
  },
  x: coordinateCases('x'),
  y: coordinateCases('y'),
  xc: coordinateCases('xc'),
  yc: coordinateCases('yc'),
  bg: {
    valid: [
      ['bg-FF0000', { kind: 'color', color: RED }],
      ['bg-ff0000', { kind: 'color', color: RED }],
      ['bg-F00', { kind: 'color', color: RED }],
      ['bg-1a2b3c', { kind: 'color', color: { r: 0x1a, g: 0x2b, b: 0x3c, a: 255 } }],
      // RRGGBBAA: AA is a decimal opacity 00–99, not hex.
      ['bg-FF000000', { kind: 'color', color: { ...RED, a: 0 } }],
      ['bg-FF000050', { kind: 'color', color: { ...RED, a: Math.round((50 * 255) / 99) } }],
      ['bg-FF000099', { kind: 'color', color: RED }],
      ['bg-red', { kind: 'color', color: RED }],
      ['bg-RED', { kind: 'color', color: RED }],
      ['bg-Red', { kind: 'color', color: RED }],
      ['bg-RebeccaPurple', { kind: 'color', color: { r: 0x66, g: 0x33, b: 0x99, a: 255 } }],
      ['bg-blurred', { kind: 'blurred', amount: 'auto', brightness: 0 }],
      ['bg-blurred_auto', { kind: 'blurred', amount: 'auto', brightness: 0 }],
      ['bg-blurred_20_N30', { kind: 'blurred', amount: 20, brightness: -30 }],
      ['bg-blurred_1', { kind: 'blurred', amount: 1, brightness: 0 }],
      ['bg-blurred_100_255', { kind: 'blurred', amount: 100, brightness: 255 }],
      ['bg-blurred_auto_N255', { kind: 'blurred', amount: 'auto', brightness: -255 }],
      ['bg-dominant', { kind: 'dominant', colors: 1 }],
      ['bg-gradient_dominant', { kind: 'dominant', colors: 2 }],
      ['bg-gradient_dominant_2', { kind: 'dominant', colors: 2 }],
      ['bg-gradient_dominant_4', { kind: 'dominant', colors: 4 }],
    ],
    invalid: [
      'bg-gradient_dominant_3',
      'bg-gradient',
      'bg-Dominant',
      'bg-blurred_101',
      'bg-blurred_0',
      'bg-blurred_',
      'bg-blurred_20_256',
      'bg-blurred_20_N256',
      'bg-blurred_20_0_1',
      'bg-blurred_x',
      'bg-FF0000AA',
      'bg-FF00',
      'bg-FF0000100',
      'bg-GGGGGG',
      'bg-notacolour',
      'bg-',
      'bg',
    ],
  },
  rt: {
    valid: [
      ['rt-90', 90],
      ['rt-N90', 270],
      ['rt-180', 180],
      ['rt-360', 0],
      ['rt-N360', 0],
      ['rt-0', 0],
      ['rt-45', 45],
      ['rt-22.5', 22.5],
      ['rt-auto', 'auto'],
    ],
    invalid: ['rt-361', 'rt-N361', 'rt-abc', 'rt--90', 'rt-AUTO', 'rt-', 'rt'],
  },
  fl: {
    valid: [
      ['fl-h', { horizontal: true, vertical: false }],
      ['fl-v', { horizontal: false, vertical: true }],
      ['fl-h_v', { horizontal: true, vertical: true }],
      ['fl-v_h', { horizontal: true, vertical: true }],
    ],
    invalid: ['fl-x', 'fl-hv', 'fl-H', 'fl-h_h', 'fl-', 'fl'],
  },
  bl: {
    valid: [
      ['bl-1', 1],
      ['bl-10', 10],
      ['bl-100', 100],
    ],
    invalid: ['bl-0', 'bl-101', 'bl-1.5', 'bl-N1', 'bl-abc', 'bl-', 'bl'],
  },
  'e-sharpen': {
    valid: [
      ['e-sharpen', true],
      ['e-sharpen-true', true],
      ['e-sharpen-1', 1],
      ['e-sharpen-20', 20],
      ['e-sharpen-99', 99],
    ],
    invalid: ['e-sharpen-0', 'e-sharpen-100', 'e-sharpen-1.5', 'e-sharpen-abc', 'e-sharpen-'],
  },
  'e-usm': {
    valid: [
      ['e-usm-2-2-0.8-0.024', { radius: 2, sigma: 2, amount: 0.8, threshold: 0.024 }],
      ['e-usm-0-0.01-0-0', { radius: 0, sigma: 0.01, amount: 0, threshold: 0 }],
      ['e-usm-100-50-20-1', { radius: 100, sigma: 50, amount: 20, threshold: 1 }],
    ],
    invalid: [
      'e-usm',
      'e-usm-',
      'e-usm-2-2-0.8',
      'e-usm-2-2-0.8-0.024-1',
      'e-usm-101-2-0.8-0.024',
      'e-usm-2-0-0.8-0.024',
      'e-usm-2-51-0.8-0.024',
      'e-usm-2-2-21-0.024',
      'e-usm-2-2-0.8-1.5',
      'e-usm-a-b-c-d',
    ],
  },
  'e-grayscale': flagCases('e-grayscale'),
  'e-contrast': flagCases('e-contrast'),
  'e-distort': {
    valid: [
      ['e-distort-a-30', { kind: 'arc', degrees: 30 }],
      ['e-distort-a-N45.5', { kind: 'arc', degrees: -45.5 }],
      ['e-distort-a-360', { kind: 'arc', degrees: 360 }],
      ['e-distort-p-10_0_90_5_100_100_0_N20', { kind: 'perspective', points: [10, 0, 90, 5, 100, 100, 0, -20] }],
    ],
    invalid: [
      'e-distort',
      'e-distort-a-0',
      'e-distort-a-361',
      'e-distort-a--30',
      'e-distort-p-1_2_3_4_5_6_7',
      'e-distort-p-1_2_3_4_5_6_7_8_9',
      'e-distort-p-1_2_3_4_5_6_7_1.5',
      `e-distort-p-0_0_${MAX_PX + 1}_0_1_1_0_1`,
      'e-distort-x-30',
    ],
  },
  'e-shadow': {
    valid: [
      ['e-shadow', { blur: 10, saturation: 30, x: 2, y: 2 }],
      ['e-shadow-bl-15_st-40_x-10_y-N5', { blur: 15, saturation: 40, x: 10, y: -5 }],
      ['e-shadow-y-N100_bl-0', { blur: 0, saturation: 30, x: 2, y: -100 }],
    ],
    invalid: ['e-shadow-bl-16', 'e-shadow-st-101', 'e-shadow-x-N101', 'e-shadow-bl-N1', 'e-shadow-bl-1_bl-2', 'e-shadow-zz-1', 'e-shadow-10'],
  },
  'e-gradient': {
    valid: [
      ['e-gradient', { degrees: 180, from: { r: 255, g: 255, b: 255, a: 255 }, to: { r: 0, g: 0, b: 0, a: 0 }, stop: fraction(1) }],
      [
        'e-gradient-ld-top_right_from-FF000040_to-00FF0040_sp-0.9',
        { degrees: 45, from: { r: 255, g: 0, b: 0, a: 103 }, to: { r: 0, g: 255, b: 0, a: 103 }, stop: fraction(0.9) },
      ],
      ['e-gradient-sp-ih_div_2_ld-90', { degrees: 90, from: { r: 255, g: 255, b: 255, a: 255 }, to: { r: 0, g: 0, b: 0, a: 0 }, stop: expr('ih_div_2', ['ih', 'div', 2]) }],
      ['e-gradient-to-red_sp-120', { degrees: 180, from: { r: 255, g: 255, b: 255, a: 255 }, to: RED, stop: px(120) }],
    ],
    invalid: ['e-gradient-ld-360', 'e-gradient-ld-up', 'e-gradient-from-nocolour', 'e-gradient-sp-0', 'e-gradient-sp-1.5', 'e-gradient-sp-0.995', 'e-gradient-ld-90_ld-0', 'e-gradient-qq-1'],
  },
  r: {
    valid: [
      ['r-20', corners(20, 20, 20, 20)],
      ['r-max', 'max'],
      ['r-1_2_3_4', corners(1, 2, 3, 4)],
      ['r-0_10_0_10', corners(0, 10, 0, 10)],
      ['r-5000', corners(5000, 5000, 5000, 5000)],
    ],
    invalid: ['r-0', 'r-0_0_0_0', 'r-1_2', 'r-1_2_3', 'r-1_2_3_4_5', 'r-5001', 'r-MAX', 'r-N5', 'r-', 'r'],
  },
  b: {
    valid: [
      ['b-5_FF0000', { width: 5, color: RED }],
      ['b-5_red', { width: 5, color: RED }],
      ['b-1_F00', { width: 1, color: RED }],
      ['b-500_FF000050', { width: 500, color: { ...RED, a: Math.round((50 * 255) / 99) } }],
      ['b-iw_div_100_red', { width: { source: 'iw_div_100', tokens: ['iw', 'div', 100] }, color: RED }],
    ],
    invalid: ['b-5', 'b-0_red', 'b-501_red', 'b-5_notacolour', 'b-_red', 'b-5_', 'b-abc_red', 'b-', 'b'],
  },
  o: {
    valid: [
      ['o-50', 50],
      ['o-0', 0],
      ['o-100', 100],
    ],
    invalid: ['o-101', 'o-N1', 'o-0.5', 'o-', 'o'],
  },
  l: {
    valid: [
      ['l-image,i-logo.png,l-end', [{ kind: 'image', input: 'logo.png', params: {}, steps: [] }]],
      [
        'l-image,i-ik_canvas,bg-FF0000,w-10,h-20,l-end',
        [{ kind: 'solid', input: 'ik_canvas', params: {}, steps: [{ w: px(10), h: px(20), bg: { kind: 'color', color: RED } }] }],
      ],
    ],
    invalid: ['l-', 'l'],
  },
  i: {
    valid: [
      ['i-logo.png', 'logo.png'],
      ['i-@@brand@@logo.png', 'brand/logo.png'],
    ],
    invalid: ['i-', 'i', `i-${'a'.repeat(2001)}`],
  },
  ie: {
    valid: [
      [`ie-${btoa('brand/logo é.png'.replace('é', '\u00c3\u00a9'))}`, 'brand/logo é.png'],
      ['ie-YnJhbmQvbG9nby5wbmc', 'brand/logo.png'],
    ],
    invalid: ['ie-', 'ie-%%%', 'ie'],
  },
  lx: {
    valid: [
      ['lx-10', px(10)],
      ['lx-N10', px(-10)],
      ['lx-bw_sub_lw', expr('bw_sub_lw', ['bw', 'sub', 'lw'])],
    ],
    invalid: ['lx-', 'lx-abc', 'lx-99999', 'lx--5'],
  },
  ly: {
    valid: [
      ['ly-0', px(0)],
      ['ly-N0', px(-0)],
      ['ly-bh_div_2', expr('bh_div_2', ['bh', 'div', 2])],
    ],
    invalid: ['ly-', 'ly-1.5', 'ly-top'],
  },
  lxc: {
    valid: [
      ['lxc-50', px(50)],
      ['lxc-bw_div_2', expr('bw_div_2', ['bw', 'div', 2])],
    ],
    invalid: ['lxc-', 'lxc-x'],
  },
  lyc: {
    valid: [
      ['lyc-N20', px(-20)],
      ['lyc-bh_mul_0.25', expr('bh_mul_0.25', ['bh', 'mul', 0.25])],
    ],
    invalid: ['lyc-', 'lyc-1.5'],
  },
  lfo: {
    valid: [
      ['lfo-top_left', 'top_left'],
      ['lfo-bottom_right', 'bottom_right'],
    ],
    invalid: ['lfo-auto', 'lfo-middle', 'lfo-'],
  },
  lso: { valid: [['lso-5', '5']], invalid: ['lso-', 'lso'] },
  leo: { valid: [['leo-5.5', '5.5']], invalid: ['leo-', 'leo'] },
  ldu: { valid: [['ldu-2', '2']], invalid: ['ldu-', 'ldu'] },
  al: {
    valid: [
      ['al-1', 1],
      ['al-9', 9],
    ],
    invalid: ['al-0', 'al-10', 'al-5.5', 'al-'],
  },
  fs: {
    valid: [
      ['fs-45', px(45)],
      ['fs-1', px(1)],
      ['fs-1000', px(1000)],
      ['fs-bh_mul_0.1', expr('bh_mul_0.1', ['bh', 'mul', 0.1])],
    ],
    invalid: ['fs-0', 'fs-1001', 'fs-12.5', 'fs-big', 'fs-'],
  },
  ff: {
    valid: [
      ['ff-OpenSans', { kind: 'platform', family: 'Open Sans' }],
      ['ff-open_sans', { kind: 'platform', family: 'Open Sans' }],
      ['ff-NotoSansArabic', { kind: 'platform', family: 'Noto Sans Arabic' }],
      ['ff-fonts@@brand.ttf', { kind: 'file', path: 'fonts/brand.ttf' }],
      ['ff-@@Brand.OTF', { kind: 'file', path: 'Brand.OTF' }],
    ],
    invalid: ['ff-ComicSans', 'ff-fonts@@..@@x.ttf', 'ff-a@@b.png', 'ff-a@@@@b.ttf', 'ff-'],
  },
  co: {
    valid: [
      ['co-FF0000', RED],
      ['co-red', RED],
    ],
    invalid: ['co-notacolour', 'co-GG0000', 'co-'],
  },
  ia: {
    valid: [
      ['ia-left', 'left'],
      ['ia-center', 'center'],
      ['ia-right', 'right'],
    ],
    invalid: ['ia-middle', 'ia-'],
  },
  pa: {
    valid: [
      ['pa-10', [px(10), px(10), px(10), px(10)]],
      ['pa-10_20', [px(10), px(20), px(10), px(20)]],
      ['pa-10_20_30', [px(10), px(20), px(30), px(20)]],
      ['pa-1_2_3_4', [px(1), px(2), px(3), px(4)]],
    ],
    invalid: ['pa-1_2_3_4_5', 'pa-1001', 'pa-N1', 'pa-a', 'pa-'],
  },
  lh: {
    valid: [
      ['lh-60', px(60)],
      ['lh-bh_div_4', expr('bh_div_4', ['bh', 'div', 4])],
    ],
    invalid: ['lh-99999', 'lh-x', 'lh-'],
  },
  lsp: {
    valid: [
      ['lsp-0', 0],
      ['lsp-12', 12],
    ],
    invalid: ['lsp-N1', 'lsp-1001', 'lsp-1.5', 'lsp-'],
  },
  tg: {
    valid: [
      ['tg-b', { bold: true, italic: false, strikethrough: false }],
      ['tg-i_b', { bold: true, italic: true, strikethrough: false }],
      ['tg-b_i_strikethrough', { bold: true, italic: true, strikethrough: true }],
    ],
    invalid: ['tg-u', 'tg-b_b', 'tg-bold', 'tg-'],
  },
  q: {
    valid: [
      ['q-1', 1],
      ['q-80', 80],
      ['q-100', 100],
    ],
    invalid: ['q-0', 'q-101', 'q-80.5', 'q-N1', 'q-high', 'q-', 'q'],
  },
  f: {
    valid: [
      ['f-auto', 'auto'],
      ['f-webp', 'webp'],
      ['f-jpeg', 'jpeg'],
      ['f-jpg', 'jpeg'],
      ['f-png', 'png'],
      ['f-avif', 'avif'],
      ['f-orig', 'orig'],
      ['f-gif', 'gif'],
      ['f-mp4', 'mp4'],
      ['f-webm', 'webm'],
    ],
    invalid: ['f-svg', 'f-JPEG', 'f-tiff', 'f-', 'f'],
  },
  pr: boolCases('pr'),
  lo: boolCases('lo'),
  md: boolCases('md'),
  cp: boolCases('cp'),
  orig: boolCases('orig'),
  if: {
    valid: [
      [
        'if-ar_gt_1,w-200,if-end',
        { condition: [[{ property: 'ar', operator: 'gt', value: 1 }]], then: [{ w: px(200) }], else: [] },
      ],
      [
        'if-iw_lte_500_and_ih_ne_20.5_or_iar_eq_4-3,w-1,if-else,h-2,if-end',
        {
          condition: [
            [
              { property: 'iw', operator: 'lte', value: 500 },
              { property: 'ih', operator: 'ne', value: 20.5 },
            ],
            [{ property: 'iar', operator: 'eq', value: 1.3333 }],
          ],
          then: [{ w: px(1) }],
          else: [{ h: px(2) }],
        },
      ],
    ],
    invalid: [
      'if',
      'if-',
      'if-d_gt_1,w-1,if-end',
      'if-w_gtx_1,w-1,if-end',
      'if-w_gt_abc,w-1,if-end',
      'if-w_gt_N1,w-1,if-end',
      'if-w_gt_4-3,w-1,if-end',
      'if-w_gt_1_and,w-1,if-end',
      'if-w_gt_1_xor_h_gt_1,w-1,if-end',
      'if-w_gt_99999,w-1,if-end',
      'if-w_gt_1_and_w_gt_1_and_w_gt_1_and_w_gt_1_and_w_gt_1_and_w_gt_1_and_w_gt_1_and_w_gt_1_and_w_gt_1_and_w_gt_1_and_w_gt_1,w-1,if-end',
    ],
  },
  di: {
    valid: [
      ['di-@@a@@b.jpg', 'a/b.jpg'],
      ['di-a@@b.jpg', 'a/b.jpg'],
      ['di-@@defaults@@missing-image.jpg', 'defaults/missing-image.jpg'],
      ['di-@@@@a.png', 'a.png'],
    ],
    invalid: ['di-@@..@@x', 'di-..', 'di-@@a@@.@@b.jpg', 'di-a@@@@b.jpg', 'di-@@', 'di-@@a@@', 'di-', 'di'],
  },
  vc: {
    valid: [['vc-h264', 'h264'], ['vc-vp9', 'vp9'], ['vc-av1', 'av1'], ['vc-none', 'none']],
    invalid: ['vc-hevc', 'vc-H264', 'vc-', 'vc'],
  },
  ac: {
    valid: [['ac-aac', 'aac'], ['ac-opus', 'opus'], ['ac-none', 'none']],
    invalid: ['ac-mp3', 'ac-AAC', 'ac-', 'ac'],
  },
  so: secondsCases('so'),
  eo: secondsCases('eo'),
  du: secondsCases('du'),
  sr: {
    valid: [['sr-240', [240]], ['sr-1080_240_360', [240, 360, 1080]], ['sr-2160_2160', [2160]]],
    invalid: ['sr-300', 'sr-240_', 'sr-240__360', 'sr-abc', 'sr-N240', 'sr-', 'sr'],
  },
};

/** Layer parameters are read inside a layer (al inside a solid block); lso, leo and ldu, always refused there, alone. */
const TEXT_KEYS: ParamKey[] = ['fs', 'ff', 'co', 'ia', 'pa', 'lh', 'lsp', 'tg'];
const inLayer = (token: string, key: ParamKey) =>
  PARAMS[key].scope !== 'layer'
    ? token
    : TEXT_KEYS.includes(key)
      ? `l-text,i-Hi,${token},l-end`
      : `l-image,${key === 'al' ? 'i-ik_canvas' : 'i-a.png'},${token},l-end`;
const TIMING = ['lso', 'leo', 'ldu'];
function secondsCases(key: 'so' | 'eo' | 'du'): KeyCases {
  return {
    valid: [[`${key}-0`, 0], [`${key}-5`, 5], [`${key}-12.25`, 12.25], [`${key}-86400`, 86400]],
    invalid: [`${key}-1.255`, `${key}-N1`, `${key}-86400.01`, `${key}-1e3`, `${key}-`, key],
  };
}

/** Parses one token through the full parser and returns the value stored for `key`, wherever its scope puts it. */
function valueOf(token: string, key: ParamKey, hints?: ClientHints): unknown {
  if (TIMING.includes(key)) return PARAMS[key].grammar.parse(token.slice(key.length + 1), key);
  if (PARAMS[key].scope === 'layer') {
    const layer = parseTransformation(inLayer(token, key)).steps[0]!.l![0]!;
    return key === 'i' || key === 'ie' ? layer.input : layer.params[key];
  }
  const t = parseTransformation(token, hints);
  if (PARAMS[key].scope === 'output') {
    expect(t.steps).toEqual([]);
    return t.output[key];
  }
  expect(t.output).toEqual({});
  expect(t.steps).toHaveLength(1);
  return t.steps[0]![key];
}

describe('the parameter table', () => {
  it('has test cases for exactly the keys it defines', () => {
    expect(Object.keys(CASES).sort()).toEqual([...PARAM_KEYS].sort());
  });

  it('lists every key with a grammar that documents what it accepts', () => {
    for (const key of PARAM_KEYS) {
      expect(isParamKey(key)).toBe(true);
      expect(PARAMS[key].grammar.accepts.length).toBeGreaterThan(0);
      expect(PARAMS[key].doc.length).toBeGreaterThan(0);
    }
  });

  it('scopes q, f, pr, lo, md, cp, orig, di and the video parameters to the output, if to blocks and everything else to the step', () => {
    const outputKeys = PARAM_KEYS.filter((key) => PARAMS[key].scope === 'output');
    expect(outputKeys.sort()).toEqual(['ac', 'cp', 'di', 'du', 'eo', 'f', 'lo', 'md', 'orig', 'pr', 'q', 'so', 'sr', 'vc']);
    expect(PARAM_KEYS.filter((key) => PARAMS[key].scope === 'block')).toEqual(['if', 'l']);
  });

  it('does not treat Object.prototype names as keys', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(isParamKey(name)).toBe(false);
  });
});

for (const key of PARAM_KEYS) {
  describe(`parameter "${key}"`, () => {
    const cases = CASES[key];

    it('has at least one valid and two invalid cases', () => {
      expect(cases.valid.length).toBeGreaterThanOrEqual(1);
      expect(cases.invalid.length).toBeGreaterThanOrEqual(2);
    });

    it.each(cases.valid)('parses %s', (token, expected) => {
      expect(valueOf(token, key)).toEqual(expected);
    });

    it.each(cases.invalid)('rejects %s with a 400 naming the key', (token) => {
      expectBadParam(() => parseTransformation(inLayer(token, key)), key);
    });
  });
}

describe('enum parameters (c, cm, fo, f)', () => {
  it('reject Object.prototype member names with a 400', () => {
    for (const key of ['c', 'cm', 'fo', 'f']) {
      for (const name of ['constructor', 'toString', 'valueOf', '__proto__']) {
        expectBadParam(() => parseTransformation(`${key}-${name}`), key);
      }
    }
  });
});

describe('dpr messages', () => {
  it('name auto among the accepted values, whatever was wrong', () => {
    for (const token of ['dpr-9', 'dpr-x', 'dpr']) {
      expect(expectBadParam(() => parseTransformation(token), 'dpr').message).toMatch(/from 0\.1 to 5, or auto/);
    }
  });
});

describe('dpr-auto', () => {
  it('resolves from the client hint while parsing', () => {
    expect(valueOf('dpr-auto', 'dpr', { dpr: 3 })).toBe(3);
    expect(valueOf('dpr-auto', 'dpr', { dpr: 1.5 })).toBe(1.5);
  });

  it('resolves to 1 without a hint', () => {
    expect(valueOf('dpr-auto', 'dpr', {})).toBe(1);
    expect(valueOf('dpr-auto', 'dpr')).toBe(1);
  });

  it('leaves explicit values alone when a hint is present', () => {
    expect(valueOf('dpr-2', 'dpr', { dpr: 3 })).toBe(2);
  });
});

describe('BadParam messages', () => {
  it('quote the offending value', () => {
    const error = expectBadParam(() => parseTransformation('w-99999'), 'w');
    expect(error.value).toBe('99999');
    expect(error.message).toContain('"99999"');
  });

  it('say a value is required for a bare key that needs one', () => {
    const error = expectBadParam(() => parseTransformation('w'), 'w');
    expect(error.value).toBeUndefined();
    expect(error.message).toContain('a value is required');
  });

  it("include the grammar's accepted values", () => {
    const error = expectBadParam(() => parseTransformation('f-tiff'), 'f');
    expect(error.message).toContain(PARAMS.f.grammar.accepts);
    expect(error.message).toContain('jpg');
  });
});
