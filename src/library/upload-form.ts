/**
 * The multipart form of ImageKit's upload API (`POST /api/v1|v2/files/upload`), parsed into a typed object with
 * ImageKit's defaults. Validation is eager: every bad field is a 400 that names the field, before any byte is
 * stored or any URL fetched. Field rules follow ImageKit's upload API documentation.
 */
import { parseUploadTransformation, type PostTransformation } from '../video/jobs/post-upload';
import { HttpError } from '../http/errors';
import type { SpooledFile } from './file-spool';
import { badField, isObject } from '../validate/fields';
import { checkCustomCoordinates, checkTags } from './field-rules';
import { normalizeFolder } from './paths';

/** Where the file's bytes come from. Nothing here is trusted about the content type: sniff the bytes. */
export type UploadSource =
  /** A binary part, streamed in and spooled (src/library/file-spool.ts). */
  | { kind: 'spooled'; file: SpooledFile }
  /** A data URI or bare base64 string, already decoded. */
  | { kind: 'bytes'; bytes: Uint8Array; declaredType?: string }
  /** An http(s) URL the route must fetch (headers within 8 s, else 400). */
  | { kind: 'url'; url: string };

export const RESPONSE_FIELDS = [
  'tags',
  'customCoordinates',
  'isPrivateFile',
  'embeddedMetadata',
  'isPublished',
  'customMetadata',
  'metadata',
  'selectedFieldsSchema',
] as const;
export type ResponseField = (typeof RESPONSE_FIELDS)[number];

export type CustomMetadataScalar = string | number | boolean;
export type CustomMetadataValue = CustomMetadataScalar | CustomMetadataScalar[];

export type AiTask = { type: 'select_tags' | 'select_metadata' | 'yes_no'; instruction: string } & Record<string, unknown>;

/** One requested extension. All of them are AI services this server does not run (see extensionStatus). */
export type UploadExtension =
  | {
      name: 'remove-bg';
      options?: { add_shadow?: boolean; bg_color?: string; bg_image_url?: string; semitransparency?: boolean };
    }
  | { name: 'google-auto-tagging' | 'aws-auto-tagging'; maxTags: number; minConfidence: number }
  | { name: 'ai-auto-description' }
  | { name: 'ai-tasks'; tasks: AiTask[] }
  | { name: 'saved-extension'; id: string };

/** Client-side auth fields exactly as sent; src/api/upload-auth.ts checks them. */
export interface ClientAuthFields {
  publicKey?: string;
  signature?: string;
  token?: string;
  expire?: string;
}

export interface UploadForm {
  file: UploadSource;
  /** Sanitised: every character other than letters, marks, digits, `.`, `_` and `-` became `_`. */
  fileName: string;
  useUniqueFileName: boolean;
  /** Undefined when the field was not sent: with overwriteTags=false an overwrite then keeps the old tags. */
  tags: string[] | undefined;
  /** Leading and trailing slash, no empty segments: `/` or `/a/b/`. */
  folder: string;
  isPrivateFile: boolean;
  isPublished: boolean;
  /** `x,y,w,h`, or null when absent or empty (an overwrite then removes the old value, as ImageKit does). */
  customCoordinates: string | null;
  /** Undefined when not sent. Checked against the tenant's custom metadata schema elsewhere. */
  customMetadata: Record<string, CustomMetadataValue> | undefined;
  responseFields: ResponseField[];
  extensions: UploadExtension[];
  webhookUrl: string | undefined;
  overwriteFile: boolean;
  overwriteAITags: boolean;
  overwriteTags: boolean;
  overwriteCustomMetadata: boolean;
  description: string | undefined;
  /** `transformation.post`: jobs queued once the file is stored (src/video/jobs/post-upload.ts). */
  postTransformations: PostTransformation[];
  auth: ClientAuthFields;
}

const EXTENSION_NAMES = [
  'remove-bg',
  'google-auto-tagging',
  'aws-auto-tagging',
  'ai-auto-description',
  'ai-tasks',
  'saved-extension',
] as const;

export const MAX_FILE_NAME_LENGTH = 1024;
export const MAX_DESCRIPTION_LENGTH = 1024;

type FormValue = string | File;

const KNOWN_FIELDS = new Set([
  'file',
  'fileName',
  'useUniqueFileName',
  'tags',
  'folder',
  'isPrivateFile',
  'isPublished',
  'customCoordinates',
  'customMetadata',
  'responseFields',
  'extensions',
  'webhookUrl',
  'overwriteFile',
  'overwriteAITags',
  'overwriteTags',
  'overwriteCustomMetadata',
  'description',
  'transformation',
  'checks',
  'publicKey',
  'signature',
  'token',
  'expire',
]);

/** Features ImageKit has and this server does not: refused, so a client never believes they ran. */
const UNSUPPORTED_FIELDS: Record<string, string> = {
  checks: 'Upload checks are not supported by this server.',
};

/** `form` holds the text fields; a binary `file` part was spooled as it streamed in and comes as `file`. */
export function parseUploadForm(form: FormData, file?: SpooledFile): UploadForm {
  const fields = readFields(form);
  const text = (name: string): string | undefined => {
    const value = fields.get(name);
    if (value !== undefined && typeof value !== 'string') throw badField(name, 'a text field, not a file part');
    return value;
  };
  const bool = (name: string, fallback: boolean) => parseBoolean(name, text(name), fallback);

  for (const [name, message] of Object.entries(UNSUPPORTED_FIELDS)) {
    // The browser SDK sends `checks` as an empty string when it is unset; only a real value is a request.
    if ((text(name) ?? '').trim() !== '') {
      throw new HttpError(400, `Invalid value for "${name}": ${message}`, `Remove "${name}" from the request.`);
    }
  }

  return {
    file: file ? parseSpooled(file, fields.get('file')) : parseFile(fields.get('file')),
    fileName: parseFileName(text('fileName')),
    useUniqueFileName: bool('useUniqueFileName', true),
    tags: parseTags(text('tags')),
    folder: parseFolder(text('folder')),
    isPrivateFile: bool('isPrivateFile', false),
    isPublished: bool('isPublished', true),
    customCoordinates: parseCustomCoordinates(text('customCoordinates')),
    customMetadata: parseCustomMetadata(text('customMetadata')),
    responseFields: parseResponseFields(text('responseFields')),
    extensions: parseExtensions(text('extensions')),
    webhookUrl: parseWebhookUrl(text('webhookUrl')),
    overwriteFile: bool('overwriteFile', true),
    overwriteAITags: bool('overwriteAITags', true),
    overwriteTags: bool('overwriteTags', true),
    overwriteCustomMetadata: bool('overwriteCustomMetadata', true),
    description: parseDescription(text('description')),
    postTransformations: parseUploadTransformation(text('transformation')),
    auth: {
      publicKey: text('publicKey'),
      signature: text('signature'),
      token: text('token'),
      expire: text('expire'),
    },
  };
}

/**
 * How the response reports the requested extensions. They are all AI services this server cannot run. ImageKit
 * applies extensions after the upload has succeeded and reports one that failed for good as `failed` in the upload
 * response's `extensionStatus` (the upload itself still succeeds), so that is the answer for each of them here.
 * No extensions requested → undefined: ImageKit then omits the key.
 */
export function extensionStatus(extensions: readonly UploadExtension[]): Record<string, 'failed'> | undefined {
  if (extensions.length === 0) return undefined;
  return Object.fromEntries(extensions.map((e) => [e.name, 'failed' as const]));
}

/** Every field once, by name; an unknown or repeated field is a 400 (a silent pick would hide a client bug). */
function readFields(form: FormData): Map<string, FormValue> {
  const fields = new Map<string, FormValue>();
  for (const [name, value] of form.entries()) {
    if (!KNOWN_FIELDS.has(name)) {
      throw new HttpError(400, `Unknown parameter "${name}"`, 'Send only the parameters of the upload API.');
    }
    if (fields.has(name)) throw badField(name, 'a single value, not a repeated field');
    fields.set(name, value);
  }
  return fields;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw badField(name, '"true" or "false"');
}

const MISSING_FILE = () =>
  new HttpError(
    400,
    'Missing file parameter for upload',
    'Send "file" as a binary part, a base64 string or an http(s) URL.',
  );

function parseSpooled(file: SpooledFile, alsoText: FormValue | undefined): UploadSource {
  if (alsoText !== undefined) throw badField('file', 'one file, as a binary part or as text, not both');
  if (file.size === 0) throw badField('file', 'a non-empty file');
  return { kind: 'spooled', file };
}

function parseFile(value: FormValue | undefined): UploadSource {
  if (value === undefined) throw MISSING_FILE();
  if (typeof value !== 'string') throw badField('file', 'a binary part or text');
  const trimmed = value.trim();
  if (trimmed === '') throw MISSING_FILE();
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw badField('file', 'a valid http(s) URL');
    }
    return { kind: 'url', url: url.href };
  }
  const dataUri = /^data:([^,]*?)(;base64)?,(.*)$/is.exec(trimmed);
  if (dataUri) {
    if (!dataUri[2]) throw badField('file', 'a base64 data URI (";base64," before the data)');
    const declaredType = dataUri[1]!.split(';')[0]!.trim().toLowerCase();
    return { kind: 'bytes', bytes: decodeBase64File(dataUri[3]!), ...(declaredType ? { declaredType } : {}) };
  }
  if (/^[A-Za-z0-9+/=_\-\s]+$/.test(trimmed)) return { kind: 'bytes', bytes: decodeBase64File(trimmed) };
  // Neither binary, URL nor base64: the same answer as an absent file, as ImageKit gives.
  throw MISSING_FILE();
}

/** Standard or URL-safe base64, padding optional, whitespace (line breaks) ignored. */
function decodeBase64File(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '').replaceAll('-', '+').replaceAll('_', '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(compact) || compact.length % 4 === 1) throw badField('file', 'valid base64');
  let binary: string;
  try {
    binary = atob(compact.padEnd(Math.ceil(compact.length / 4) * 4, '='));
  } catch {
    throw badField('file', 'valid base64');
  }
  if (binary.length === 0) throw badField('file', 'a non-empty file');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function parseFileName(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new HttpError(400, 'Missing fileName parameter for upload', 'Send "fileName", e.g. photo.jpg.');
  }
  if (value.length > MAX_FILE_NAME_LENGTH) throw badField('fileName', `at most ${MAX_FILE_NAME_LENGTH} characters`);
  // ImageKit keeps letters, marks and digits of any script plus `.`, `_` and `-`; everything else (space, slash, …)
  // becomes `_`, which also means a name can never climb out of its folder.
  const name = value.replace(/[^\p{L}\p{M}\p{N}._-]/gu, '_');
  if (name === '.' || name === '..') throw badField('fileName', 'a name other than "." or ".."');
  return name;
}

function parseTags(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : checkTags(value.split(','), 'tags');
}

function parseFolder(value: string | undefined): string {
  if (value === undefined || value === '') return '/';
  // ImageKit's docs allow letters, marks and digits of any script plus `/`, `_` and `-` (its examples show the
  // ASCII subset). No `.`, so `..` can never appear.
  if (!/^[\p{L}\p{M}\p{N}/_-]+$/u.test(value)) {
    throw badField('folder', 'a path of letters, digits, "_", "-" and "/" (e.g. /images/products/)');
  }
  return normalizeFolder(value, 'folder');
}

function parseCustomCoordinates(value: string | undefined): string | null {
  return value === undefined ? null : checkCustomCoordinates(value, 'customCoordinates');
}

function parseJson(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw badField(name, 'valid JSON');
  }
}

const isScalar = (v: unknown): v is CustomMetadataScalar =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function parseCustomMetadata(value: string | undefined): Record<string, CustomMetadataValue> | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = parseJson('customMetadata', value);
  if (!isObject(parsed)) throw badField('customMetadata', 'a JSON object');
  for (const [key, v] of Object.entries(parsed)) {
    if (!(isScalar(v) || (Array.isArray(v) && v.every(isScalar)))) {
      throw badField('customMetadata', `a string, number, boolean or array of them for "${key}"`);
    }
  }
  return parsed as Record<string, CustomMetadataValue>;
}

function parseResponseFields(value: string | undefined): ResponseField[] {
  if (value === undefined) return [];
  const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const name of names) {
    if (!(RESPONSE_FIELDS as readonly string[]).includes(name)) {
      throw badField('responseFields', `a comma list of ${RESPONSE_FIELDS.join(', ')} (got "${name}")`);
    }
  }
  return [...new Set(names)] as ResponseField[];
}

function parseExtensions(value: string | undefined): UploadExtension[] {
  if (value === undefined || value.trim() === '') return [];
  return checkExtensions(parseJson('extensions', value), 'extensions');
}

/**
 * An already parsed `extensions` value (the upload form's JSON, or the update-details API's body): an array of
 * extension objects, each checked. `field` names the field in errors.
 */
export function checkExtensions(value: unknown, field: string): UploadExtension[] {
  if (!Array.isArray(value)) throw badField(field, 'a JSON array of extension objects');
  const seen = new Set<string>();
  return value.map((item) => {
    const extension = checkExtension(item, field);
    // extensionStatus is keyed by name, so the same extension twice could not be reported; saved extensions
    // differ by id.
    if (extension.name !== 'saved-extension' && seen.has(extension.name)) {
      throw badField(field, `each extension at most once ("${extension.name}" is repeated)`);
    }
    seen.add(extension.name);
    return extension;
  });
}

function checkExtension(item: unknown, field: string): UploadExtension {
  const bad = (expected: string) => badField(field, expected);
  if (!isObject(item) || typeof item.name !== 'string') throw bad('objects with a "name"');
  const onlyKeys = (...allowed: string[]) => {
    const extra = Object.keys(item).find((k) => k !== 'name' && !allowed.includes(k));
    if (extra !== undefined) throw bad(`no "${extra}" in "${item.name}"`);
  };
  const inRange = (key: string, max: number) => {
    const v = item[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) {
      throw bad(`"${key}" between 0 and ${max} in "${item.name}"`);
    }
    return v;
  };
  switch (item.name) {
    case 'remove-bg': {
      onlyKeys('options');
      if (item.options === undefined) return { name: 'remove-bg' };
      const options = item.options;
      if (!isObject(options)) throw bad('"options" as an object in "remove-bg"');
      const types: Record<string, 'boolean' | 'string'> = {
        add_shadow: 'boolean',
        semitransparency: 'boolean',
        bg_color: 'string',
        bg_image_url: 'string',
      };
      for (const [key, v] of Object.entries(options)) {
        if (!(key in types)) throw bad(`no option "${key}" in "remove-bg"`);
        if (typeof v !== types[key]) throw bad(`option "${key}" as a ${types[key]} in "remove-bg"`);
      }
      if (options.bg_color !== undefined && options.bg_image_url !== undefined) {
        throw bad('either "bg_color" or "bg_image_url" in "remove-bg", not both');
      }
      return { name: 'remove-bg', options };
    }
    case 'google-auto-tagging':
    case 'aws-auto-tagging':
      onlyKeys('maxTags', 'minConfidence');
      return { name: item.name, maxTags: inRange('maxTags', 30), minConfidence: inRange('minConfidence', 100) };
    case 'ai-auto-description':
      onlyKeys();
      return { name: 'ai-auto-description' };
    case 'ai-tasks': {
      onlyKeys('tasks');
      const tasks = item.tasks;
      if (!Array.isArray(tasks) || tasks.length === 0) throw bad('a non-empty "tasks" array in "ai-tasks"');
      for (const task of tasks) {
        if (
          !isObject(task) ||
          typeof task.instruction !== 'string' ||
          !['select_tags', 'select_metadata', 'yes_no'].includes(task.type as string) ||
          (task.type === 'select_metadata' && typeof task.field !== 'string')
        ) {
          throw bad('tasks with a "type" (select_tags, select_metadata, yes_no) and an "instruction" in "ai-tasks"');
        }
      }
      return { name: 'ai-tasks', tasks: tasks as AiTask[] };
    }
    case 'saved-extension':
      onlyKeys('id');
      if (typeof item.id !== 'string' || item.id === '') throw bad('an "id" in "saved-extension"');
      return { name: 'saved-extension', id: item.id };
    default:
      throw bad(`one of ${EXTENSION_NAMES.join(', ')} (got "${item.name}")`);
  }
}

function parseWebhookUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw badField('webhookUrl', 'an http(s) URL');
  return url.href;
}

function parseDescription(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length > MAX_DESCRIPTION_LENGTH) throw badField('description', `at most ${MAX_DESCRIPTION_LENGTH} characters`);
  return value;
}
