/**
 * ImageKit's arithmetic expressions: `iw_div_2`, `ch_mul_0.8_add_bh_mul_0.6`. Operands are numbers or
 * variables, operators are words; pow binds tightest, then mul/div/mod, then add/sub, left to right.
 * Inside a layer, `bw bh bar` are the parent's (base's) size and `lw lh lar` the layer's own.
 */
export type Variable = 'iw' | 'ih' | 'iar' | 'cw' | 'ch' | 'car' | LayerVariable;
export type LayerVariable = 'bw' | 'bh' | 'bar' | 'lw' | 'lh' | 'lar';
export type Operator = 'add' | 'sub' | 'mul' | 'div' | 'mod' | 'pow';
export type Token = number | Variable | Operator;

const VARIABLES = new Set<string>(['iw', 'ih', 'iar', 'cw', 'ch', 'car', 'bw', 'bh', 'bar', 'lw', 'lh', 'lar']);
const PRECEDENCE: Record<Operator, number> = { add: 1, sub: 1, mul: 2, div: 2, mod: 2, pow: 3 };
const NUMBER = /^N?\d+(\.\d{1,4})?$/;

export interface Expression {
  tokens: Token[];
  source: string;
}

/** Parses `a_op_b_op_c…`; returns undefined when the text is not an expression. */
export function parseExpression(text: string): Expression | undefined {
  const parts = text.split('_');
  if (parts.length < 3 || parts.length % 2 === 0) return undefined;
  const tokens: Token[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i % 2 === 1) {
      if (!(part in PRECEDENCE)) return undefined;
      tokens.push(part as Operator);
    } else if (VARIABLES.has(part)) {
      tokens.push(part as Variable);
    } else if (NUMBER.test(part)) {
      tokens.push(part.startsWith('N') ? -Number(part.slice(1)) : Number(part));
    } else {
      return undefined;
    }
  }
  return { tokens, source: text };
}

/** Layer variables are set only where a layer is planned; elsewhere they evaluate to NaN (a 400 where used). */
export type Scope = Record<Exclude<Variable, LayerVariable>, number> & Partial<Record<LayerVariable, number>>;

interface Size {
  width: number;
  height: number;
}

/**
 * The variables an expression sees: the original's size and the image's size at this point of the chain; in a
 * layer also the parent's size (`bw bh bar`) and, once known, the layer's (`lw lh lar`).
 */
export function scopeOf(original: Size, current: Size, parent?: Size, layer?: Size): Scope {
  return {
    iw: original.width,
    ih: original.height,
    iar: original.width / original.height,
    cw: current.width,
    ch: current.height,
    car: current.width / current.height,
    ...(parent && { bw: parent.width, bh: parent.height, bar: parent.width / parent.height }),
    ...(layer && { lw: layer.width, lh: layer.height, lar: layer.width / layer.height }),
  };
}

export function evaluate(expression: Expression, scope: Scope): number {
  const values: number[] = [];
  const operators: Operator[] = [];
  const reduce = () => {
    const right = values.pop()!;
    const left = values.pop()!;
    values.push(apply(operators.pop()!, left, right));
  };
  for (const token of expression.tokens) {
    if (typeof token === 'number') values.push(token);
    else if (token in PRECEDENCE) {
      const op = token as Operator;
      while (operators.length && PRECEDENCE[operators[operators.length - 1]!] >= PRECEDENCE[op]) reduce();
      operators.push(op);
    } else values.push(scope[token as Variable] ?? Number.NaN);
  }
  while (operators.length) reduce();
  return values[0]!;
}

function apply(op: Operator, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return b === 0 ? Number.NaN : a / b;
    case 'mod':
      return b === 0 ? Number.NaN : a % b;
    case 'pow':
      return a ** b;
  }
}
