/**
 * ImageKit custom metadata fields: validating field definitions (`/v1/customMetadataFields`) and the values files
 * carry for them (`customMetadata` on upload and on PATCH /v1/files/:id/details).
 *
 * Rules, as ImageKit documents them:
 * - types Text, Textarea, Number, Date, Boolean, SingleSelect, MultiSelect; the type never changes (a `type` sent
 *   with an update is ignored and the schema is checked against the existing type);
 * - minLength/maxLength only for Text and Textarea, minValue/maxValue only for Number (numbers) and Date (ISO 8601
 *   strings), selectOptions (strings, numbers, booleans) required for the select types and refused elsewhere;
 * - defaultValue must itself be a valid value, and a required field (isValueRequired) must have one: it is what a
 *   file gets when its upload names no value;
 * - description up to 500 characters.
 * The name rule is not documented; names are limited to `[A-Za-z0-9_-]{1,100}` so they can be written unquoted in
 * JSON paths and in `"customMetadata.<name>"` search terms.
 *
 * No Node APIs here: this module runs inside workerd.
 */
import { HttpError } from '../http/errors';
import { isObject } from '../validate/fields';

export const FIELD_TYPES = ['Text', 'Textarea', 'Number', 'Date', 'Boolean', 'SingleSelect', 'MultiSelect'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type SelectOption = string | number | boolean;

/** A field's schema as stored and as the API returns it (only the keys that are set). */
export interface FieldSchema {
  type: FieldType;
  defaultValue?: SelectOption | SelectOption[];
  isValueRequired?: boolean;
  minLength?: number;
  maxLength?: number;
  minValue?: string | number;
  maxValue?: string | number;
  selectOptions?: SelectOption[];
}

/** A validated create request. */
export interface FieldInput {
  name: string;
  label: string;
  schema: FieldSchema;
  description?: string;
}

/** A validated update: only what the request changes. `description: null` clears it (sent as ""). */
export interface FieldUpdate {
  label?: string;
  schema?: FieldSchema;
  description?: string | null;
}

/** A field as the value validators need it. */
export interface FieldDef {
  id: string;
  name: string;
  label: string;
  schema: FieldSchema;
  description?: string | null;
  deleted?: boolean;
}

/** A row of the `custom_fields` table. */
export interface CustomFieldRow {
  id: string;
  name: string;
  label: string;
  schema: string;
  description: string | null;
  deleted: number;
  created_at: number;
  updated_at: number;
}

/** The API's CustomMetadataField. */
export interface CustomMetadataField {
  id: string;
  name: string;
  label: string;
  schema: FieldSchema;
  description?: string;
}

export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
export const MAX_LABEL_LENGTH = 500;
export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_SELECT_OPTIONS = 1000;

const HELP = 'Check the field against the custom metadata schema rules (types, limits, selectOptions, defaultValue).';
const VALUE_HELP = 'Create the field first (POST /v1/customMetadataFields) and send values that match its schema.';

function invalid(path: string, reason: string, help = HELP): HttpError {
  return new HttpError(400, `Invalid value for "${path}": ${reason}`, help);
}

const isOption = (value: unknown): value is SelectOption =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

// --- dates --------------------------------------------------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Milliseconds since the epoch of an ISO 8601 date or date-time, or undefined. A time without a zone is read as
 * UTC, so comparisons do not depend on the machine's time zone.
 */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, zone] = match;
  // Date.parse would roll 2024-02-31 over to March; a day the month does not have is refused instead.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) return undefined;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) return undefined;
  const zoned = hour === undefined ? `${text}T00:00:00Z` : zone ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : ms;
}

// --- schemas --------------------------------------------------------------------------------------------------

const LENGTH_TYPES: readonly FieldType[] = ['Text', 'Textarea'];
const RANGE_TYPES: readonly FieldType[] = ['Number', 'Date'];
const SELECT_TYPES: readonly FieldType[] = ['SingleSelect', 'MultiSelect'];
const SCHEMA_KEYS = ['type', 'defaultValue', 'isValueRequired', 'minLength', 'maxLength', 'minValue', 'maxValue', 'selectOptions'];

function fieldType(value: unknown, path: string): FieldType {
  if (typeof value !== 'string' || !(FIELD_TYPES as readonly string[]).includes(value)) {
    throw invalid(path, `must be one of ${FIELD_TYPES.join(', ')}`);
  }
  return value as FieldType;
}

function lengthLimit(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw invalid(path, 'must be a whole number ≥ 0');
  return value;
}

function rangeLimit(type: FieldType, value: unknown, path: string): string | number {
  if (type === 'Number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'must be a number');
    return value;
  }
  if (typeof value !== 'string' || parseIsoDate(value) === undefined) throw invalid(path, 'must be an ISO 8601 date');
  return value;
}

function selectOptions(value: unknown, path: string): SelectOption[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(path, 'must be a non-empty array');
  if (value.length > MAX_SELECT_OPTIONS) throw invalid(path, `must have at most ${MAX_SELECT_OPTIONS} options`);
  value.forEach((option, i) => {
    if (!isOption(option)) throw invalid(`${path}[${i}]`, 'must be a string, number or boolean');
    if (value.indexOf(option) !== i) throw invalid(`${path}[${i}]`, `repeats the option ${JSON.stringify(option)}`);
  });
  return value as SelectOption[];
}

/**
 * Checks a schema object for `type` (already decided: from the request on create, the stored one on update) and
 * returns it with only the keys that are set, in a stable order.
 */
function validateSchema(raw: unknown, type: FieldType, path = 'schema'): FieldSchema {
  if (!isObject(raw)) throw invalid(path, 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!SCHEMA_KEYS.includes(key)) throw invalid(`${path}.${key}`, 'is not a schema property');
  }
  const set = (key: string) => raw[key] !== undefined && raw[key] !== null;
  const refuseUnless = (keys: string[], types: readonly FieldType[]) => {
    for (const key of keys) if (set(key) && !types.includes(type)) throw invalid(`${path}.${key}`, `not allowed for type ${type}`);
  };
  refuseUnless(['minLength', 'maxLength'], LENGTH_TYPES);
  refuseUnless(['minValue', 'maxValue'], RANGE_TYPES);
  refuseUnless(['selectOptions'], SELECT_TYPES);

  const schema: FieldSchema = { type };
  if (set('selectOptions')) schema.selectOptions = selectOptions(raw.selectOptions, `${path}.selectOptions`);
  else if (SELECT_TYPES.includes(type)) throw invalid(`${path}.selectOptions`, `is required for type ${type}`);
  if (set('minLength')) schema.minLength = lengthLimit(raw.minLength, `${path}.minLength`);
  if (set('maxLength')) schema.maxLength = lengthLimit(raw.maxLength, `${path}.maxLength`);
  if (schema.minLength !== undefined && schema.maxLength !== undefined && schema.minLength > schema.maxLength) {
    throw invalid(`${path}.minLength`, `is greater than maxLength (${schema.maxLength})`);
  }
  if (set('minValue')) schema.minValue = rangeLimit(type, raw.minValue, `${path}.minValue`);
  if (set('maxValue')) schema.maxValue = rangeLimit(type, raw.maxValue, `${path}.maxValue`);
  if (schema.minValue !== undefined && schema.maxValue !== undefined && compare(type, schema.minValue, schema.maxValue) > 0) {
    throw invalid(`${path}.minValue`, `is greater than maxValue (${schema.maxValue})`);
  }
  if (set('isValueRequired')) {
    if (typeof raw.isValueRequired !== 'boolean') throw invalid(`${path}.isValueRequired`, 'must be true or false');
    schema.isValueRequired = raw.isValueRequired;
  }
  if (set('defaultValue')) {
    schema.defaultValue = checkValue(schema, raw.defaultValue, `${path}.defaultValue`, HELP) as FieldSchema['defaultValue'];
  } else if (schema.isValueRequired) {
    // A required field's default is what a file gets when its upload does not name a value.
    throw invalid(`${path}.defaultValue`, 'is required when isValueRequired is true');
  }
  return orderSchema(schema);
}

function orderSchema(schema: FieldSchema): FieldSchema {
  const out: Record<string, unknown> = {};
  for (const key of SCHEMA_KEYS) {
    const value = (schema as unknown as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out as unknown as FieldSchema;
}

function compare(type: FieldType, a: string | number, b: string | number): number {
  if (type === 'Date') return parseIsoDate(String(a))! - parseIsoDate(String(b))!;
  return Number(a) - Number(b);
}

function label(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid('label', 'must be a non-empty string');
  if (value.length > MAX_LABEL_LENGTH) throw invalid('label', `must be at most ${MAX_LABEL_LENGTH} characters`);
  return value;
}

function description(value: unknown): string {
  if (typeof value !== 'string') throw invalid('description', 'must be a string');
  if (value.length > MAX_DESCRIPTION_LENGTH) throw invalid('description', `must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
  return value;
}

/** Validates a POST /v1/customMetadataFields body. Name uniqueness (deleted fields included) is the caller's check. */
export function validateFieldCreate(body: Record<string, unknown>): FieldInput {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  const { name } = body;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw invalid('name', 'must be 1–100 characters of letters, digits, "_" and "-"');
  }
  if (!isObject(body.schema)) throw invalid('schema', 'must be an object');
  const type = fieldType(body.schema.type, 'schema.type');
  const field: FieldInput = { name, label: label(body.label), schema: validateSchema(body.schema, type) };
  if (body.description !== undefined && body.description !== null) {
    const text = description(body.description);
    if (text !== '') field.description = text;
  }
  return field;
}

/**
 * Validates a PATCH /v1/customMetadataFields/:id body against the field's stored schema. A `schema` replaces the
 * stored one (its `type` is ignored: the stored type stays). At least one of label and schema is required.
 */
export function validateFieldUpdate(existing: FieldSchema, body: Record<string, unknown>): FieldUpdate {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  const hasLabel = body.label !== undefined;
  const hasSchema = body.schema !== undefined;
  if (!hasLabel && !hasSchema) throw invalid('body', 'needs label or schema');
  const update: FieldUpdate = {};
  if (hasLabel) update.label = label(body.label);
  if (hasSchema) {
    if (!isObject(body.schema)) throw invalid('schema', 'must be an object');
    const { type: _ignored, ...rest } = body.schema;
    update.schema = validateSchema(rest, existing.type);
  }
  if (body.description !== undefined) {
    // "" (or null) clears the description.
    const text = body.description === null ? '' : description(body.description);
    update.description = text === '' ? null : text;
  }
  return update;
}

// --- values ---------------------------------------------------------------------------------------------------

/** The value itself when it is valid for `schema`, else a 400 naming `path`. */
function checkValue(schema: FieldSchema, value: unknown, path: string, help: string): unknown {
  const fail = (reason: string) => invalid(path, reason, help);
  switch (schema.type) {
    case 'Text':
    case 'Textarea': {
      if (typeof value !== 'string') throw fail('must be a string');
      if (schema.minLength !== undefined && value.length < schema.minLength) throw fail(`must be at least ${schema.minLength} characters`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength) throw fail(`must be at most ${schema.maxLength} characters`);
      return value;
    }
    case 'Number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('must be a number');
      if (schema.minValue !== undefined && value < Number(schema.minValue)) throw fail(`must be ≥ ${schema.minValue}`);
      if (schema.maxValue !== undefined && value > Number(schema.maxValue)) throw fail(`must be ≤ ${schema.maxValue}`);
      return value;
    }
    case 'Date': {
      const ms = typeof value === 'string' ? parseIsoDate(value) : undefined;
      if (ms === undefined) throw fail('must be an ISO 8601 date, e.g. 2024-05-01 or 2024-05-01T10:00:00Z');
      if (schema.minValue !== undefined && ms < parseIsoDate(String(schema.minValue))!) throw fail(`must be on or after ${schema.minValue}`);
      if (schema.maxValue !== undefined && ms > parseIsoDate(String(schema.maxValue))!) throw fail(`must be on or before ${schema.maxValue}`);
      return value;
    }
    case 'Boolean':
      if (typeof value !== 'boolean') throw fail('must be true or false');
      return value;
    case 'SingleSelect':
      if (!isOption(value) || !schema.selectOptions?.includes(value)) throw fail(`must be one of ${JSON.stringify(schema.selectOptions)}`);
      return value;
    case 'MultiSelect': {
      if (!Array.isArray(value)) throw fail('must be an array of options');
      if (schema.isValueRequired && value.length === 0) throw fail('must name at least one option (the field is required)');
      value.forEach((item, i) => {
        if (!isOption(item) || !schema.selectOptions?.includes(item)) {
          throw invalid(`${path}[${i}]`, `must be one of ${JSON.stringify(schema.selectOptions)}`, help);
        }
      });
      return value;
    }
  }
}

/**
 * Checks a `customMetadata` object from an upload (`partial: false`) or a details update (`partial: true`).
 * Every key must name a field that exists and is not deleted; values must fit the field's schema. With
 * `partial`, `null` removes the key (refused for required fields) and stays in the result as null; without it a
 * null is dropped, so the field's default applies. Returns a new object; apply it with applyPatch.
 */
export function validateCustomMetadataValues(
  values: unknown,
  fields: readonly FieldDef[],
  opts: { partial: boolean },
): Record<string, unknown> {
  if (!isObject(values)) throw invalid('customMetadata', 'must be an object', VALUE_HELP);
  const byName = new Map(fields.filter((f) => !f.deleted).map((f) => [f.name, f]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const path = `customMetadata.${key}`;
    const field = byName.get(key);
    if (!field) throw invalid(path, `no custom metadata field named "${key}" exists`, VALUE_HELP);
    if (value === null || value === undefined) {
      if (!opts.partial) continue;
      if (field.schema.isValueRequired) throw invalid(path, 'the field is required and cannot be removed', VALUE_HELP);
      out[key] = null;
      continue;
    }
    out[key] = checkValue(field.schema, value, path, VALUE_HELP);
  }
  return out;
}

/**
 * A new file's custom metadata: `values` (already validated) plus the default of every field it does not name.
 * A required field that still has no value is a 400 (it can only happen if a field lost its default).
 */
export function applyDefaults(values: Record<string, unknown>, fields: readonly FieldDef[]): Record<string, unknown> {
  const out = { ...values };
  for (const field of fields) {
    if (field.deleted || out[field.name] !== undefined) continue;
    if (field.schema.defaultValue !== undefined) out[field.name] = structuredClone(field.schema.defaultValue);
    else if (field.schema.isValueRequired) {
      throw invalid(`customMetadata.${field.name}`, 'the field is required', VALUE_HELP);
    }
  }
  return out;
}

/** Applies a validated partial update to a file's stored custom metadata: null removes a key. */
export function applyPatch(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** The field a `custom_fields` row stores. */
export function fieldFromRow(row: CustomFieldRow): FieldDef {
  return {
    id: row.id,
    name: row.name,
    label: row.label,
    schema: JSON.parse(row.schema) as FieldSchema,
    description: row.description,
    deleted: row.deleted !== 0,
  };
}

/** The API shape of a field: `{id, name, label, schema, description?}` (description only when set). */
export function describeField(row: CustomFieldRow | FieldDef): CustomMetadataField {
  const field = typeof row.schema === 'string' ? fieldFromRow(row as CustomFieldRow) : (row as FieldDef);
  const out: CustomMetadataField = { id: field.id, name: field.name, label: field.label, schema: orderSchema(field.schema) };
  if (field.description) out.description = field.description;
  return out;
}
