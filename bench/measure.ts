/** Measuring helpers shared by the benchmarks. */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (ms, user + system, every thread of this process) that `run` takes. */
export async function cpuMs(run: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** The workerd processes Miniflare started for us (children of this process). */
export function workerdPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'workerd';
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** CPU time (ms) the processes' threads have used so far. */
export function threadCpuMs(pids: number[]): number {
  let ns = 0;
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
  }
  return ns / 1e6;
}
