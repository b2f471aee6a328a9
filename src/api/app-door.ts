/**
 * The dashboard's door to the tenant API: every tenant route is also served under `/app/api/` (`/app/api/v1/files`,
 * `/app/api/api/v1/files/upload`) with the session cookie instead of a key. The door checks the session (and, on
 * writes, the Origin and CSRF token), then hands the same request, path without `/app/api`, to the router with
 * the user attached; every route then checks the user's role exactly as it checks a key's permissions.
 */
import type { IRequest } from 'itty-router';
import type { Env } from '../env';
import { notFound } from '../http/errors';
import type { CurrentSession } from '../people/sessions';
import { isWrite, requireCsrf, requireSession } from './app-guard';

type Dispatch = (request: Request, env: Env, exec: ExecutionContext) => Promise<Response>;

// A property only this module can name, on the request object the door made: nothing a client sends can set it.
// (Not a WeakMap: the router hands routes a proxy of the request, which forwards property reads.)
const SESSION = Symbol('session');
type WithSession = Request & { [SESSION]?: CurrentSession };

/** The session the door attached to a request it forwarded, if any. */
export const sessionOf = (request: Request): CurrentSession | undefined => (request as WithSession)[SESSION];

export function appApiDoor(dispatch: Dispatch) {
  return async (request: IRequest, env: Env, exec: ExecutionContext): Promise<Response> => {
    const url = new URL(request.url);
    const inner = url.pathname.slice('/app/api'.length);
    if (!inner.startsWith('/v1/') && !inner.startsWith('/api/')) throw notFound('Route');
    const session = await requireSession(request, env);
    if (isWrite(request)) requireCsrf(request, session);
    const headers = new Headers(request.headers);
    // A session request is the session's alone: a key sent beside it is not looked at.
    headers.delete('Authorization');
    // Built field by field: the router's request carries its own extra properties.
    const forwarded = new Request(new URL(inner + url.search, url.origin), {
      method: request.method,
      headers,
      body: isWrite(request) ? request.body : null,
      cf: (request as Request).cf,
    });
    (forwarded as WithSession)[SESSION] = session;
    const response = await dispatch(forwarded, env, exec);
    // The tenant API is open to any origin for key holders; the cookie door is for the dashboard's origin only.
    const out = new Response(response.body, response);
    for (const name of [...out.headers.keys()]) if (name.startsWith('access-control-')) out.headers.delete(name);
    return out;
  };
}
