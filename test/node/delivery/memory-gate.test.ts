import { describe, expect, it } from 'vitest';
import { MemoryGate, MemoryHold } from '../../../src/delivery/memory-gate';
import { HttpError } from '../../../src/http/errors';

const MB = 1e6;

describe('MemoryGate', () => {
  it('admits what fits at once, and the rest in order of arrival as memory comes back', async () => {
    const gate = new MemoryGate(100 * MB);
    const first = await gate.admit(60 * MB);
    const order: string[] = [];
    const second = gate.admit(50 * MB).then((release) => (order.push('second'), release));
    const third = gate.admit(10 * MB).then((release) => (order.push('third'), release));
    await new Promise((r) => setTimeout(r, 10));
    // The small third request fits but does not overtake the second.
    expect(order).toEqual([]);
    expect(gate.used).toBe(60 * MB);
    first();
    const [releaseSecond, releaseThird] = await Promise.all([second, third]);
    expect(order).toEqual(['second', 'third']);
    expect(gate.used).toBe(60 * MB);
    releaseSecond();
    releaseThird();
    releaseThird();
    expect(gate.used).toBe(0);
  });

  it('admits those that waited behind a request that gave up, once they fit', async () => {
    const gate = new MemoryGate(100 * MB, 20);
    const held = await gate.admit(50 * MB);
    const big = gate.admit(60 * MB).catch((e: unknown) => e);
    const small = gate.admit(40 * MB);
    expect(await big).toBeInstanceOf(HttpError);
    const release = await small;
    expect(gate.used).toBe(90 * MB);
    release();
    held();
    expect(gate.used).toBe(0);
  });

  it('lets a request bigger than the whole gate run alone', async () => {
    const gate = new MemoryGate(100 * MB);
    const release = await gate.admit(500 * MB);
    expect(gate.used).toBe(100 * MB);
    release();
    expect(gate.used).toBe(0);
  });

  it('answers 503 with Retry-After to a request that waited too long, and forgets it', async () => {
    const gate = new MemoryGate(100 * MB, 20);
    const held = await gate.admit(90 * MB);
    const error = await gate.admit(20 * MB).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).headers['Retry-After']).toBe('2');
    held();
    expect(gate.used).toBe(0);
    (await gate.admit(100 * MB))();
  });
});

describe('MemoryHold', () => {
  it('takes a request\'s memory in steps and gives it all back at once', async () => {
    const gate = new MemoryGate(100 * MB, 20);
    const hold = new MemoryHold(gate);
    await hold.take(30 * MB);
    await hold.take(50 * MB);
    expect(gate.used).toBe(80 * MB);
    // Another request's original waits for what this one holds, and gives up after the gate's wait.
    const other = new MemoryHold(gate);
    expect(await other.take(30 * MB).catch((e: unknown) => e)).toBeInstanceOf(HttpError);
    hold.release();
    hold.release();
    expect(gate.used).toBe(0);
    await other.take(30 * MB);
    expect(gate.used).toBe(30 * MB);
  });

  it('never waits for itself: alone, its steps together take at most the capacity', async () => {
    const gate = new MemoryGate(100 * MB, 20);
    const hold = new MemoryHold(gate);
    await hold.take(40 * MB);
    await hold.take(90 * MB);
    expect(gate.used).toBe(100 * MB);
    hold.release();
    expect(gate.used).toBe(0);
  });
});
