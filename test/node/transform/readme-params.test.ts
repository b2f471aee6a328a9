/** The README's parameter table is written by hand, for people; this keeps it naming exactly the table's keys. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { PARAM_KEYS } from '../../../src/transform/params';

function readmeParameterKeys(): string[] {
  const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  const section = readme.split('\n### Parameters\n')[1]!.split('\n### ')[0]!;
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
}

it('the README lists every URL parameter of the table, and no other', () => {
  expect(readmeParameterKeys().sort()).toEqual([...PARAM_KEYS].sort());
});
