/**
 * Runs ffmpeg or ffprobe under a budget enforced from outside the process: `prlimit` caps its CPU seconds and
 * address space (the kernel kills it past them), and a wall-clock timer kills its whole process group. ffmpeg
 * itself is never trusted to stop.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Budget {
  cpuSeconds: number;
  wallSeconds: number;
  /** Address space, bytes. */
  memoryBytes: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed for running past `wallSeconds`. */
  timedOut: boolean;
}

const PRLIMIT = '/usr/bin/prlimit';
const MAX_CAPTURE = 64 * 1024;

export function runLimited(command: string, args: string[], budget: Budget): Promise<RunResult> {
  const limits = [`--cpu=${budget.cpuSeconds}`, `--as=${budget.memoryBytes}`, `--nofile=256`, '--'];
  const [file, argv] = existsSync(PRLIMIT) ? [PRLIMIT, [...limits, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    // Its own process group, so the timer's kill reaches anything it started.
    const child = spawn(file, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(-MAX_CAPTURE)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-MAX_CAPTURE)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, budget.wallSeconds * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}
