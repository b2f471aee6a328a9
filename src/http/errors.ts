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

export function errorResponse(error: unknown): Response {
  const known = error instanceof HttpError;
  const status = known ? error.status : 500;
  // Unexpected errors keep their details in the log, never in the response.
  if (!known) console.error('unhandled error', error);
  const body = known
    ? { message: error.message, help: error.help, ...error.details }
    : { message: 'Internal error', help: 'The failure was logged; retry later.' };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...(known ? error.headers : {}),
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
