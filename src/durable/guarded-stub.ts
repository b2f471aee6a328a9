/**
 * Calls into a Durable Object, with its failures made answerable. RPC hands the caller a bare Error; this logs
 * it with the object and method it came from, and turns it into the response a client can act on: a transient
 * failure (the object was reset or overloaded, or its connection was lost) is a 503 with Retry-After, anything
 * else an opaque 500 whose reason is in the log.
 */
import { HttpError, internalError } from '../http/errors';

/** Workers marks the errors worth retrying (an object reset by a deploy, an overloaded object, a lost connection). */
interface ObjectError {
  retryable?: boolean;
  overloaded?: boolean;
}

const RETRY_AFTER_SECONDS = '1';

/** Calls this isolate has made into objects, by `Kind.method`: the operator's view of what requests cost. */
const calls = new Map<string, number>();

export const objectCalls = (): Record<string, number> => Object.fromEntries(calls);

export function guardedStub<T extends object>(kind: string, stub: T): T {
  return new Proxy(stub, {
    get(target, method) {
      // Not a thenable: awaiting the stub itself must not look for a `then` method on the object.
      if (typeof method !== 'string' || method === 'then') return undefined;
      const methods = target as Record<string, (...args: unknown[]) => Promise<unknown>>;
      return async (...args: unknown[]) => {
        const name = `${kind}.${method}`;
        calls.set(name, (calls.get(name) ?? 0) + 1);
        try {
          // Called as a property: on an RPC stub, `call`/`apply` would themselves be remote method names.
          return await methods[method]!(...args);
        } catch (error) {
          throw objectFailure(name, error);
        }
      };
    },
  });
}

/** The object was reset or overloaded, or its connection lost: worth a retry. */
export function isTransient(error: unknown): boolean {
  const { retryable, overloaded } = (typeof error === 'object' && error !== null ? error : {}) as ObjectError;
  return Boolean(retryable || overloaded);
}

function objectFailure(where: string, error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  console.error(`${where} failed:`, error);
  if (isTransient(error)) {
    return new HttpError(503, 'The service is briefly unavailable', 'Retry after the seconds in Retry-After.', {
      'Retry-After': RETRY_AFTER_SECONDS,
    });
  }
  return internalError();
}
