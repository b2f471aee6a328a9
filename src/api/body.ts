import { HttpError } from '../http/errors';
import { isObject } from '../validate/fields';

const MAX_JSON_BYTES = 256 * 1024;

/** The request's JSON object body; anything else is a 400 that says what was wrong. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const length = Number(request.headers.get('Content-Length') ?? 0);
  if (length > MAX_JSON_BYTES) throw new HttpError(413, `The JSON body is larger than ${MAX_JSON_BYTES} bytes`, 'Send less.');
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw new HttpError(413, `The JSON body is larger than ${MAX_JSON_BYTES} bytes`, 'Send less.');
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON', 'Send a JSON object with Content-Type: application/json.');
  }
  if (!isObject(value)) throw new HttpError(400, 'The body must be a JSON object', 'Send a JSON object.');
  return value;
}
