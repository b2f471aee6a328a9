/** How a failing Durable Object call reaches the client: transient failures as 503s, the reason always logged. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardedStub } from '../../../src/durable/guarded-stub';
import { errorResponse, HttpError } from '../../../src/http/errors';

/** Stands in for an RPC stub: a method that throws what workerd hands a caller. */
const failingStub = (error: unknown) => ({ lookup: async (_path: string): Promise<string> => Promise.reject(error) });
const marked = (message: string, marks: Record<string, boolean>) => Object.assign(new Error(message), marks);

async function responseOf(call: Promise<unknown>): Promise<Response> {
  try {
    await call;
  } catch (error) {
    return errorResponse(error);
  }
  throw new Error('the call succeeded');
}

afterEach(() => vi.restoreAllMocks());

describe('guardedStub', () => {
  it('passes answers and arguments through', async () => {
    const stub = guardedStub('MediaLibrary', { lookup: async (path: string) => `found ${path}` });
    expect(await stub.lookup('/a.jpg')).toBe('found /a.jpg');
  });

  it.each([
    ['a reset object', { durableObjectReset: true, retryable: true }],
    ['an overloaded object', { overloaded: true }],
    ['a lost connection', { retryable: true }],
  ])('answers %s with a 503 and Retry-After, and logs the reason', async (_label, marks) => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await responseOf(guardedStub('MediaLibrary', failingStub(marked('Network connection lost.', marks))).lookup('/a.jpg'));
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('1');
    expect(await response.json()).toEqual({ message: 'The service is briefly unavailable', help: 'Retry after the seconds in Retry-After.' });
    expect(log).toHaveBeenCalledWith('MediaLibrary.lookup failed:', expect.objectContaining({ message: 'Network connection lost.' }));
  });

  it('answers any other failure with an opaque 500, its reason only in the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await responseOf(guardedStub('AuditLog', failingStub(new Error('no such table: entries'))).lookup('x'));
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toContain('entries');
    expect(JSON.parse(body)).toEqual({ message: 'Internal error', help: 'The failure was logged; retry later.' });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('AuditLog.lookup failed:', expect.objectContaining({ message: 'no such table: entries' }));
  });

  it('keeps HttpErrors as they are', async () => {
    const response = await responseOf(guardedStub('TenantLock', failingStub(new HttpError(409, 'busy', 'later'))).lookup('x'));
    expect(response.status).toBe(409);
  });

  it('is not a thenable, so awaiting the stub itself does not call the object', async () => {
    const stub: object = guardedStub('RateLimiter', { then: () => { throw new Error('called'); } });
    expect(await Promise.resolve(stub)).toBe(stub);
  });
});
