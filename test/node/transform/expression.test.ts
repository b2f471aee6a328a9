/** ImageKit arithmetic expressions: `<operand>_<op>_<operand>…` with word operators and image variables. */
import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, type Expression, type Scope } from '../../../src/transform/expression';

const scope: Scope = { iw: 800, ih: 600, iar: 800 / 600, cw: 400, ch: 300, car: 400 / 300 };
const value = (text: string, s: Scope = scope) => evaluate(parseExpression(text) as Expression, s);

describe('parseExpression', () => {
  it('reads operands and operators into tokens and keeps the source text', () => {
    expect(parseExpression('iw_div_2')).toEqual({ tokens: ['iw', 'div', 2], source: 'iw_div_2' });
    expect(parseExpression('ch_mul_0.8_add_N10')).toEqual({
      tokens: ['ch', 'mul', 0.8, 'add', -10],
      source: 'ch_mul_0.8_add_N10',
    });
  });

  it('knows the variables iw, ih, iar, cw, ch, car and the operators add, sub, mul, div, mod, pow', () => {
    for (const variable of ['iw', 'ih', 'iar', 'cw', 'ch', 'car']) expect(parseExpression(`${variable}_add_1`)).toBeDefined();
    for (const op of ['add', 'sub', 'mul', 'div', 'mod', 'pow']) expect(parseExpression(`iw_${op}_2`)).toBeDefined();
  });

  it.each([
    '',
    'iw',
    '300',
    'iw_div',
    'iw_div_2_',
    'iw_plus_2',
    'iw_2_div',
    'div_iw_2',
    'BW_div_2',
    'IW_div_2',
    'iw_DIV_2',
    'iw_div_-2',
    'iw_div_2.',
    'iw__2',
  ])('returns undefined for %j', (text) => {
    expect(parseExpression(text)).toBeUndefined();
  });
});

describe('evaluate', () => {
  it('reads variables from the scope', () => {
    expect(value('iw_div_2')).toBe(400);
    expect(value('ih_sub_100')).toBe(500);
    expect(value('cw_add_ch')).toBe(700);
    expect(value('iar_mul_3')).toBe(4);
    expect(value('car_mul_300')).toBe(400);
  });

  it('applies every operator', () => {
    expect(value('10_add_3')).toBe(13);
    expect(value('10_sub_3')).toBe(7);
    expect(value('10_mul_3')).toBe(30);
    expect(value('10_div_4')).toBe(2.5);
    expect(value('10_mod_3')).toBe(1);
    expect(value('2_pow_10')).toBe(1024);
  });

  it('binds pow tighter than mul/div/mod, and those tighter than add/sub', () => {
    expect(value('2_add_3_mul_4')).toBe(14);
    expect(value('2_mul_3_pow_2')).toBe(18);
    expect(value('ch_mul_0.8_add_cw_mul_0.5')).toBe(440);
    expect(value('1_add_10_mod_4')).toBe(3);
    expect(value('iw_div_iw_sub_iw')).toBe(-799);
  });

  it('is left-associative within one precedence level', () => {
    expect(value('100_sub_10_sub_5')).toBe(85);
    expect(value('100_div_10_div_5')).toBe(2);
    expect(value('100_div_10_mul_5')).toBe(50);
  });

  it('reads N as a minus sign', () => {
    expect(value('iw_add_N100')).toBe(700);
  });

  it('gives NaN on division or modulo by zero', () => {
    expect(value('iw_div_0')).toBeNaN();
    expect(value('iw_mod_0')).toBeNaN();
  });
});
