/**
 * What blocking rules cost a delivery, against what every delivery already pays in the same run: parsing its
 * transformation (`parseTransformation` of `w-300,h-200,c-at_max:f-webp`, the reference).
 *
 * - `none`: a tenant with no rules and an operator with none (the common case).
 * - `full`: the most rules a request can meet — 100 tenant rules and 200 operator rules over every tenant, each
 *   a path glob with wildcards plus a transformation pattern, none matching, so every one is evaluated.
 * - `adversarial`: one glob of the most wildcards allowed against a 1000-character path built to defeat it (it
 *   gets past the literal prefix and suffix; a backtracking RegExp of the same pattern does not finish).
 *
 * Usage: npx tsx bench/blocking.bench.ts [--runs N]   (default 7; medians of CPU ms per 10,000 calls)
 */
import { type BlockedRequest, type BlockingRule, checkRuleBody, firstBlockingRule } from '../src/security/blocking/rules';
import { parseTransformation } from '../src/transform/parse';
import { cpuMs, median, round } from './measure';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const CALLS = 10_000;

const rule = (i: number, body: Record<string, unknown>): BlockingRule => ({ id: `br_${i}`, createdAt: '', ...checkRuleBody(body) });
const many = (n: number) =>
  Array.from({ length: n }, (_, i) => rule(i, { path: `folder-${i}/**/*-${i}.jpg`, transformation: { param: 'w', above: 4000 } }));
const tenantRules = many(100);
const operatorRules = many(200);
const request: BlockedRequest = {
  path: 'products/2026/summer/shoes/red-sneaker-large.jpg',
  transformation: parseTransformation('w-300,h-200,c-at_max:f-webp'),
  ip: '203.0.113.9',
  country: 'DE',
};
const adversarial = [rule(0, { path: '*a*a*a*a*a*a*a*a*a*b' })];
// Ends as the pattern does, so the literal prefix and suffix let it through to the segment matcher.
const adversarialRequest = { ...request, path: `${'a'.repeat(1000)}/b` };

const cases: Record<string, () => unknown> = {
  reference: () => parseTransformation('w-300,h-200,c-at_max:f-webp'),
  none: () => firstBlockingRule([], request) ?? firstBlockingRule([], request),
  full: () => firstBlockingRule(operatorRules, request) ?? firstBlockingRule(tenantRules, request),
  adversarial: () => firstBlockingRule(adversarial, adversarialRequest),
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let run = 0; run <= RUNS; run++) {
  for (const [name, call] of Object.entries(cases)) {
    const ms = await cpuMs(async () => {
      for (let i = 0; i < CALLS; i++) call();
    });
    if (run > 0) times[name]!.push(ms); // run 0 warms up
  }
}
const reference = median(times.reference!);
for (const [name, ms] of Object.entries(times)) {
  const per = median(ms) / CALLS;
  console.log(`${name.padEnd(12)} ${round(per * 1000, 2).toString().padStart(8)} µs/request   ×${round(median(ms) / reference, 2)} the reference`);
}
