// Types of build-video-worker.mjs, for the vitest config and the benchmark.
export const VIDEO_DIST: string;
export function buildVideoWorker(): string;
