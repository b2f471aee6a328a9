/** Measuring helpers shared by the benchmarks. */

/** CPU time (ms, user + system, every thread of this process) that `run` takes. */
export async function cpuMs(run: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const round = (x: number, digits: number): number => Number(x.toFixed(digits));
