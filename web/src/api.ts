/**
 * Every call the dashboard makes: same-origin, with the session cookie, under /app/api/ (the tenant API and the
 * session routes). Writes carry the session's CSRF token; errors become ApiError with ImageKit's message/help.
 */
export const API = '/app/api';

let csrfToken = '';
export const setCsrfToken = (token: string) => (csrfToken = token);
export const getCsrfToken = () => csrfToken;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly help?: string,
  ) {
    super(message);
  }
}

/** Hook for the app: a 401 from any call means the session ended (revoked, expired). */
let onUnauthorized: () => void = () => {};
export const whenUnauthorized = (handler: () => void) => (onUnauthorized = handler);

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${API}${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await toError(response, path);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function toError(response: Response, path: string): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  let help: string | undefined;
  try {
    const body = (await response.json()) as { message?: string; help?: string };
    if (body.message) message = body.message;
    help = body.help;
  } catch {
    // not JSON: keep the status line
  }
  if (response.status === 401 && !path.startsWith('/auth/')) onUnauthorized();
  return new ApiError(response.status, message, help);
}

/** Query string from an object, leaving out empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
