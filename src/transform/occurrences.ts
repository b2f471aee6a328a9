import { PARAMS, type ParamKey, type ParamValues } from './params';
import type { Transformation } from './parse';

/**
 * Every value `key` takes anywhere in a transformation, each in its canonical text (what the canonical form
 * writes after `key-`, '' for a flag): in chained steps, in both branches of conditional blocks, in layers
 * (their own parameters and steps, nested layers included) and among the output parameters. For `l`, the kinds of
 * the layers; for `if`, the conditions.
 */
export function occurrences(t: Transformation, key: ParamKey): string[] {
  const found: string[] = [];
  const format = PARAMS[key].grammar.format as (value: unknown) => string;
  const visit = (values: ParamValues) => {
    const value = values[key];
    if (value !== undefined && key !== 'l') found.push(format(value));
    if (values.if) values.if.then.concat(values.if.else).forEach(visit);
    for (const layer of values.l ?? []) {
      if (key === 'l') found.push(layer.kind);
      visit(layer.params);
      layer.steps.forEach(visit);
    }
  };
  t.steps.forEach(visit);
  visit(t.output);
  return found;
}
