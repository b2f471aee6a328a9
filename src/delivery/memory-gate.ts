/**
 * One isolate serves several requests at once, and their originals, decodes and frames add up in its 128 MB.
 * Each transformation is admitted by what it will hold against what the isolate has left: its original's size
 * before the bytes are read, then the rest of its estimated peak (ProbedContext.memoryEstimate) once the header
 * is probed; one that does not fit waits, in order of arrival, and after MAX_WAIT_MS is answered 503 with
 * Retry-After rather than risk every request the isolate holds. A transformation is mostly synchronous WASM, so
 * two rarely overlap; they do where one awaits (a module being instantiated, a streaming decode's reads).
 */
import { DECODE_BUDGET_BYTES } from '../codecs/memory-budget';
import { HttpError } from '../http/errors';

const MAX_WAIT_MS = 3_000;

export class MemoryGate {
  private inUse = 0;
  private readonly waiting: { bytes: number; grant: () => void }[] = [];

  constructor(
    readonly capacity: number,
    private readonly maxWaitMs = MAX_WAIT_MS,
  ) {}

  /** Waits until `bytes` fit and takes them; answers the function that gives them back. */
  admit(bytes: number): Promise<() => void> {
    // A request alone in the isolate always runs: the header checks already bounded what one request may take.
    const need = Math.min(bytes, this.capacity);
    if (this.waiting.length === 0 && this.inUse + need <= this.capacity) return Promise.resolve(this.take(need));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        reject(busy());
        // Those it kept waiting behind it may fit now.
        this.wake();
      }, this.maxWaitMs);
      const entry = {
        bytes: need,
        grant: () => {
          clearTimeout(timer);
          resolve(this.take(need));
        },
      };
      this.waiting.push(entry);
    });
  }

  /** Bytes admitted and not yet given back. */
  get used(): number {
    return this.inUse;
  }

  private take(bytes: number): () => void {
    this.inUse += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inUse -= bytes;
      this.wake();
    };
  }

  /** Admits waiters in order of arrival while the first fits: a big request is not starved by small ones behind it. */
  private wake(): void {
    while (this.waiting.length > 0 && this.inUse + this.waiting[0]!.bytes <= this.capacity) this.waiting.shift()!.grant();
  }
}

const busy = () =>
  new HttpError(503, 'The server is busy with other large images', 'Retry after the seconds in Retry-After.', { 'Retry-After': '2' });

/** The isolate's gate: what its transformations may hold at once. */
export const isolateMemory = new MemoryGate(DECODE_BUDGET_BYTES);

/**
 * What one request holds of a gate, taken in steps as it learns more (the original's bytes when it reads them,
 * the decode and frames once the header is probed) and given back at once when it is done. A request never
 * waits for memory it holds itself: its steps together take at most the gate's capacity, so a request alone in
 * the isolate always runs.
 */
export class MemoryHold {
  private readonly releases: (() => void)[] = [];
  private held = 0;

  constructor(private readonly gate: MemoryGate = isolateMemory) {}

  /** Waits until `bytes` more fit (503 after the gate's wait), and holds them. */
  async take(bytes: number): Promise<void> {
    const need = Math.min(bytes, this.gate.capacity - this.held);
    if (need <= 0) return;
    this.releases.push(await this.gate.admit(need));
    this.held += need;
  }

  /** Runs `release` with the others when the request ends (fonts a request holds open, src/text/fonts.ts). */
  hold(release: () => void): void {
    this.releases.push(release);
  }

  /** Gives back everything taken; safe to call more than once. */
  release(): void {
    for (const release of this.releases.splice(0)) release();
    this.held = 0;
  }
}
