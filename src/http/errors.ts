/**
 * The one error type that carries an HTTP status. Everything a client can get wrong ends up as an HttpError,
 * and errorResponse is the only place that builds an error body.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly help: string = '',
    readonly headers: Record<string, string> = {},
    /** Extra fields of the JSON body, e.g. ImageKit's `reason` or `missingFileIds`. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string) =>
  new HttpError(404, `${what} not found`, 'Check the tenant id and the file path.');

/** What a client sees of a failure that is not its own: the reason stays in the log. */
export const internalError = () => new HttpError(500, 'Internal error', 'The failure was logged; retry later.');

export function errorResponse(error: unknown): Response {
  if (!(error instanceof HttpError)) console.error('unhandled error', error);
  const known = error instanceof HttpError ? error : internalError();
  return new Response(JSON.stringify({ message: known.message, help: known.help, ...known.details }), {
    status: known.status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...known.headers,
    },
  });
}

/** An HttpError as plain data, to cross a Durable Object RPC boundary (which keeps only an error's message). */
export interface HttpErrorData {
  status: number;
  message: string;
  help: string;
  headers: Record<string, string>;
  details: Record<string, unknown>;
}

export const errorData = (e: HttpError): HttpErrorData => ({
  status: e.status,
  message: e.message,
  help: e.help,
  headers: e.headers,
  details: e.details,
});

export const fromErrorData = (d: HttpErrorData) => new HttpError(d.status, d.message, d.help, d.headers, d.details);
