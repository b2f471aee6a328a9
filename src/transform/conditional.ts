/**
 * ImageKit's conditional blocks: `if-<condition>,<steps>[,if-else,<steps>],if-end`. A condition compares the
 * image's size as it is where the block starts (`w h ar`, also written `ipw iph`: the input of the block, after
 * the earlier steps) or the original's (`iw ih iar`) with a number; several are joined with `_and_` / `_or_`,
 * `and` binding tighter.
 *
 * Blocks are resolved once, over the sizes planned from the header (resolveConditionals), so the branch never
 * depends on how the image was decoded: limits, decode hints and the steps that run all see the same steps.
 */
import { BadParam } from './errors';
import { scopeOf } from './expression';
import type { ParamValues } from './params';
import type { Dimensions, Region } from './planned-ops';
import type { ValueGrammar } from './values';

export const CONDITION_PROPERTIES = ['w', 'h', 'ar', 'iw', 'ih', 'iar'] as const;
/** Other spellings of a property, written canonically under its own name so both share one variant. */
const ALIASES: Record<string, Property> = { ipw: 'w', iph: 'h' };
/**
 * Properties ImageKit has for other assets than still images (video durations, PDF pages): refused by name so
 * the error says why rather than only listing what is accepted.
 */
const NOT_FOR_IMAGES: Record<string, string> = {
  idu: 'the original video\'s duration',
  du: 'a video\'s duration',
  cdu: 'a video\'s current duration',
};
export const CONDITION_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;
type Property = (typeof CONDITION_PROPERTIES)[number];
type Operator = (typeof CONDITION_OPERATORS)[number];

export interface Comparison {
  property: Property;
  operator: Operator;
  value: number;
}

/** Alternatives (`or`), each a list of comparisons that must all hold (`and`). */
export type Condition = Comparison[][];

export interface ConditionalBlock {
  condition: Condition;
  then: ParamValues[];
  else: ParamValues[];
}

// Enough for any real rule, and a bound on the work one URL can ask for.
const MAX_COMPARISONS = 10;
const MAX_SIDE = 65535;
const DECIMAL = /^\d+(\.\d{1,4})?$/;
const RATIO = /^(\d+(?:\.\d{1,4})?)-(\d+(?:\.\d{1,4})?)$/;

const ACCEPTS =
  `<property>_<operator>_<number> joined by _and_ / _or_ (at most ${MAX_COMPARISONS}); properties ` +
  `${CONDITION_PROPERTIES.join(' ')} and ${Object.keys(ALIASES).join(' ')} (w h ar, ipw iph: the image where the block ` +
  'starts, after the earlier steps; iw ih iar: the original), ' +
  `operators ${CONDITION_OPERATORS.join(' ')}; aspect ratios as 1.5 or 4-3; then the steps, optionally if-else and ` +
  'other steps, and if-end';

/** The grammar of `if-<condition>`; the parser collects the branches (parse.ts). */
export const conditionGrammar: ValueGrammar<ConditionalBlock> = {
  accepts: ACCEPTS,
  parse(raw, key) {
    const fail = (): never => {
      throw new BadParam(key, raw, ACCEPTS);
    };
    if (!raw) return fail();
    const words = raw.split('_');
    const condition: Condition = [[]];
    let count = 0;
    for (let i = 0; i < words.length; i += 4) {
      const [written, operator, value, joiner] = words.slice(i, i + 4);
      if (written !== undefined && Object.hasOwn(NOT_FOR_IMAGES, written)) {
        throw new BadParam(key, raw, `${ACCEPTS} (${written} is ${NOT_FOR_IMAGES[written]}, which an image does not have)`);
      }
      const property = written !== undefined && Object.hasOwn(ALIASES, written) ? ALIASES[written] : written;
      if (!isOneOf(property, CONDITION_PROPERTIES) || !isOneOf(operator, CONDITION_OPERATORS)) return fail();
      const number = parseValue(property, value);
      if (number === undefined || ++count > MAX_COMPARISONS) return fail();
      condition[condition.length - 1]!.push({ property, operator, value: number });
      if (joiner === 'or') condition.push([]);
      else if (joiner !== undefined && joiner !== 'and') return fail();
      if (joiner !== undefined && i + 4 >= words.length) return fail();
    }
    return { condition, then: [], else: [] };
  },
  format: (block) => formatCondition(block.condition),
};

function isOneOf<T extends string>(word: string | undefined, values: readonly T[]): word is T {
  return (values as readonly string[]).includes(word ?? '');
}

function parseValue(property: Property, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ratio = property.endsWith('ar') ? RATIO.exec(text) : null;
  const value = ratio ? Number(ratio[1]) / Number(ratio[2]) : DECIMAL.test(text) ? Number(text) : NaN;
  // Four decimals, as written numbers have: the canonical text of a `4-3` then parses back to the same value.
  return Number.isFinite(value) && value <= MAX_SIDE ? Math.round(value * 1e4) / 1e4 : undefined;
}

/** Canonical text: numbers as JavaScript writes them (a `4-3` ratio as its quotient to four decimals). */
export function formatCondition(condition: Condition): string {
  return condition
    .map((all) => all.map((c) => `${c.property}_${c.operator}_${String(c.value)}`).join('_and_'))
    .join('_or_');
}

export function holds(condition: Condition, current: Dimensions, original: Dimensions): boolean {
  // The same sizes arithmetic expressions see; a condition's w h ar are their cw ch car.
  const scope = scopeOf(original, current);
  const values: Record<Property, number> = { ...scope, w: scope.cw, h: scope.ch, ar: scope.car };
  return condition.some((all) => all.every((c) => compare(values[c.property], c.operator, c.value)));
}

// Aspect ratios are quotients: `ar_eq_1.3333` must hold for a 4:3 image, so equality allows the written precision.
const EPSILON = 1e-4;

function compare(actual: number, operator: Operator, value: number): boolean {
  const equal = Math.abs(actual - value) < EPSILON;
  switch (operator) {
    case 'eq':
      return equal;
    case 'ne':
      return !equal;
    case 'gt':
      return actual > value && !equal;
    case 'gte':
      return actual > value || equal;
    case 'lt':
      return actual < value && !equal;
    case 'lte':
      return actual < value || equal;
  }
}

/** Every step a transformation may run, branches included (for checks that look at all of them). */
export function everyStep(steps: ParamValues[]): ParamValues[] {
  return steps.flatMap((step) => (step.if ? [...everyStep(step.if.then), ...everyStep(step.if.else)] : [step]));
}

/**
 * The steps that run for an image of `oriented` size: each block replaced by its chosen branch, the condition
 * judged on the size planned for that point (a trim before it is not counted, as in plannedSizes).
 */
export function resolveConditionals(
  steps: ParamValues[],
  oriented: Dimensions,
  plan: (size: Dimensions, step: ParamValues, original: Dimensions, custom?: Region) => { size: Dimensions },
  custom?: Region,
): ParamValues[] {
  if (!steps.some((step) => step.if)) return steps;
  const resolved: ParamValues[] = [];
  let size = oriented;
  for (const step of steps) {
    const branch = step.if ? (holds(step.if.condition, size, oriented) ? step.if.then : step.if.else) : [step];
    for (const chosen of branch) {
      size = plan(size, chosen, oriented, custom).size;
      resolved.push(chosen);
    }
  }
  return resolved;
}
