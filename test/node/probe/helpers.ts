// Node-only helpers for the probe tests; test/fixtures/registry.ts stays free of Node APIs so workerd tests can use it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fixtures, type Fixture, type FixtureName } from '../../fixtures/registry';
import { ProbeError, type ProbeReason } from '../../../src/codecs/probe';

const FIXTURES_DIR = join(process.cwd(), 'test/fixtures'); // vitest runs from the repo root

/** The fixture's bytes as a plain Uint8Array view (what workerd hands over), not a Buffer. */
export function readFixture(fixture: FixtureName | Fixture): Uint8Array {
  const { path } = typeof fixture === 'string' ? fixtures[fixture] : fixture;
  const buf = readFileSync(join(FIXTURES_DIR, path));
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Runs `fn` and returns what it threw, failing the test if it returned. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  expect.fail('expected an error');
}

/** Asserts `fn` throws a ProbeError (optionally with `reason`) and nothing else. */
export function expectProbeError(fn: () => unknown, reason?: ProbeReason): ProbeError {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(ProbeError);
  if (reason) expect((e as ProbeError).reason).toBe(reason);
  return e as ProbeError;
}
