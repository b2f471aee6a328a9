/**
 * The watermark a tenant enforces (`PATCH /v1/accounts/settings` with `watermark`): ImageKit steps, or `n-<name>`
 * of its named transformations, applied after whatever a URL asks for on every public delivery, optionally not on
 * signed URLs, and optionally only under some path prefixes. The steps are checked when the setting is saved; the
 * delivery stage that applies them is src/delivery/stages/enforce-watermark.ts.
 */
import { HttpError } from '../http/errors';
import { expandNamed, stripPrefix, usesNamed } from '../transform/named';
import { parseTransformation, type Transformation } from '../transform/parse';
import { badField, type Check, flag, listOf, object, optional } from '../validate/fields';
import type { NamedTransformation } from './config';

export interface WatermarkSetting {
  /** ImageKit steps (`l-image,i-wm.png,lfo-bottom_right,l-end`) or `n-<name>`, stored without a leading `tr:`. */
  transformation: string;
  /** Signed URLs (a valid `ik-s`) get no watermark. */
  exemptSigned: boolean;
  /** Only files whose path starts with one of these (`/products/`); empty means every file. */
  pathPrefixes: string[];
}

const FIELDS = ['transformation', 'exemptSigned', 'pathPrefixes'];
const MAX_TEXT = 2048;

const isPrefix = (text: string) => text.startsWith('/') && text.length <= 1024 && !text.split('/').some((s) => s === '..' || s === '.');

/** The setting as stored: null turns the watermark off. */
export const watermarkCheck: Check<WatermarkSetting | null> = (value, field) => {
  if (value === null) return null;
  const body = object('an object { transformation, exemptSigned, pathPrefixes }, or null to turn the watermark off')(value, field);
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) throw badField(`${field}.${key}`, `one of ${FIELDS.join(', ')}`);
  const raw = body.transformation;
  if (typeof raw !== 'string' || stripPrefix(raw.trim()) === '' || raw.length > MAX_TEXT) {
    throw badField(`${field}.transformation`, `ImageKit steps or n-<named transformation>, at most ${MAX_TEXT} characters`);
  }
  const transformation = stripPrefix(raw.trim());
  // Named transformations are checked against the tenant's (checkWatermarkNames); written steps here.
  if (!usesNamed(transformation)) watermarkSteps(transformation, () => undefined, `${field}.transformation`);
  return {
    transformation,
    exemptSigned: flag(body.exemptSigned, `${field}.exemptSigned`),
    pathPrefixes: optional(listOf(50, isPrefix, 'paths starting with / (e.g. /products/), without . or .. segments'), [])(
      body.pathPrefixes,
      `${field}.pathPrefixes`,
    ),
  };
};

/**
 * The watermark's steps, named transformations expanded with `lookup`. Output options (`q`, `f`, `orig`, …) are
 * the URL's to choose, so a watermark holds steps only. A bad one is a 400 naming `field`.
 */
export function watermarkSteps(
  text: string,
  lookup: (name: string) => NamedTransformation | undefined,
  field = 'watermark.transformation',
): Transformation['steps'] {
  let parsed: Transformation;
  try {
    parsed = parseTransformation(expandNamed(text, lookup));
  } catch (error) {
    if (error instanceof HttpError) throw new HttpError(400, `Invalid value for "${field}": ${error.message}`, error.help);
    throw error;
  }
  const output = Object.keys(parsed.output);
  if (output.length) {
    throw new HttpError(
      400,
      `Invalid value for "${field}": a watermark holds steps only, not output options (${output.join(', ')})`,
      'The URL chooses the format and quality; write the watermark as layers and steps, e.g. l-image,i-wm.png,lfo-bottom_right,l-end.',
    );
  }
  if (!parsed.steps.length) throw badField(field, 'at least one step');
  return parsed.steps;
}

/** Whether the watermark applies to a request: its file is under a prefix, and a signed URL is not exempt. */
export function watermarkApplies(setting: WatermarkSetting, path: string, signed: boolean): boolean {
  if (signed && setting.exemptSigned) return false;
  const file = `/${path}`;
  return setting.pathPrefixes.length === 0 || setting.pathPrefixes.some((prefix) => file.startsWith(prefix));
}
