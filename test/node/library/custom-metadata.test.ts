/** Custom metadata fields: definitions (create/update), values on files, defaults and the API shape. */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/http/errors';
import {
  applyDefaults,
  applyPatch,
  describeField,
  parseIsoDate,
  validateCustomMetadataValues,
  validateFieldCreate,
  validateFieldUpdate,
  type CustomFieldRow,
  type FieldDef,
  type FieldSchema,
} from '../../../src/library/custom-metadata';

/** The HttpError `run` throws (fails the test when it throws nothing or something else). */
function error(run: () => unknown): HttpError {
  try {
    run();
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('expected an HttpError');
}

const create = (schema: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  validateFieldCreate({ name: 'price', label: 'Price', schema, ...extra });

describe('validateFieldCreate', () => {
  it('accepts every type with its documented options and returns only the keys that are set', () => {
    expect(create({ type: 'Number', minValue: 1000, maxValue: 3000 })).toEqual({
      name: 'price',
      label: 'Price',
      schema: { type: 'Number', minValue: 1000, maxValue: 3000 },
    });
    expect(create({ type: 'Text', minLength: 1, maxLength: 10, defaultValue: 'abc' }).schema).toEqual({
      type: 'Text',
      defaultValue: 'abc',
      minLength: 1,
      maxLength: 10,
    });
    expect(create({ type: 'Textarea', maxLength: 500 }).schema).toEqual({ type: 'Textarea', maxLength: 500 });
    expect(create({ type: 'Date', minValue: '2020-01-01', maxValue: '2030-12-31T23:59:59Z', defaultValue: '2024-05-01T10:00:00' }).schema).toEqual({
      type: 'Date',
      defaultValue: '2024-05-01T10:00:00',
      minValue: '2020-01-01',
      maxValue: '2030-12-31T23:59:59Z',
    });
    expect(create({ type: 'Boolean', defaultValue: false }).schema).toEqual({ type: 'Boolean', defaultValue: false });
    expect(
      create({ type: 'SingleSelect', selectOptions: ['XS', 'S', 'M', 30, true], isValueRequired: true, defaultValue: 'M' }).schema,
    ).toEqual({ type: 'SingleSelect', defaultValue: 'M', isValueRequired: true, selectOptions: ['XS', 'S', 'M', 30, true] });
    expect(create({ type: 'MultiSelect', selectOptions: ['a', 'b', 3], defaultValue: ['a', 3] }).schema).toEqual({
      type: 'MultiSelect',
      defaultValue: ['a', 3],
      selectOptions: ['a', 'b', 3],
    });
  });

  it('keeps a description, drops an empty one', () => {
    expect(create({ type: 'Text' }, { description: 'Shown as a hint' }).description).toBe('Shown as a hint');
    expect(create({ type: 'Text' }, { description: '' })).not.toHaveProperty('description');
  });

  it.each([
    ['', 'name'],
    ['has space', 'name'],
    ['dot.name', 'name'],
    ['x'.repeat(101), 'name'],
    [42, 'name'],
  ])('refuses the name %j', (name, field) => {
    const e = error(() => validateFieldCreate({ name, label: 'L', schema: { type: 'Text' } }));
    expect(e.status).toBe(400);
    expect(e.message).toContain(`"${field}"`);
  });

  it('accepts letters, digits, "_" and "-" in names, up to 100', () => {
    expect(validateFieldCreate({ name: 'SKU_id-2', label: 'L', schema: { type: 'Text' } }).name).toBe('SKU_id-2');
    expect(validateFieldCreate({ name: 'a'.repeat(100), label: 'L', schema: { type: 'Text' } }).name).toHaveLength(100);
  });

  it.each([
    [{ label: undefined }, 'label'],
    [{ label: '  ' }, 'label'],
    [{ label: 'x'.repeat(501) }, 'label'],
    [{ description: 'x'.repeat(501) }, 'description'],
    [{ description: 5 }, 'description'],
    [{ schema: undefined }, 'schema'],
    [{ schema: [] }, 'schema'],
  ])('refuses %j, naming "%s"', (override, field) => {
    const e = error(() => validateFieldCreate({ name: 'n', label: 'L', schema: { type: 'Text' }, ...override }));
    expect(e.message).toContain(`Invalid value for "${field}"`);
  });

  it.each([
    [{ type: 'Color' }, 'schema.type'],
    [{}, 'schema.type'],
    [{ type: 'Number', maxLength: 3 }, 'schema.maxLength'],
    [{ type: 'Text', minValue: 3 }, 'schema.minValue'],
    [{ type: 'Boolean', selectOptions: [true] }, 'schema.selectOptions'],
    [{ type: 'Text', colour: 'red' }, 'schema.colour'],
    [{ type: 'Text', minLength: -1 }, 'schema.minLength'],
    [{ type: 'Text', minLength: 1.5 }, 'schema.minLength'],
    [{ type: 'Text', minLength: 5, maxLength: 4 }, 'schema.minLength'],
    [{ type: 'Number', minValue: '1' }, 'schema.minValue'],
    [{ type: 'Number', minValue: 5, maxValue: 4 }, 'schema.minValue'],
    [{ type: 'Date', minValue: 'yesterday' }, 'schema.minValue'],
    [{ type: 'Date', maxValue: '2024-02-30' }, 'schema.maxValue'],
    [{ type: 'Date', minValue: '2025-01-01', maxValue: '2024-01-01' }, 'schema.minValue'],
    [{ type: 'SingleSelect' }, 'schema.selectOptions'],
    [{ type: 'MultiSelect', selectOptions: [] }, 'schema.selectOptions'],
    [{ type: 'SingleSelect', selectOptions: ['a', { b: 1 }] }, 'schema.selectOptions[1]'],
    [{ type: 'SingleSelect', selectOptions: ['a', 'a'] }, 'schema.selectOptions[1]'],
    [{ type: 'Text', isValueRequired: 'yes' }, 'schema.isValueRequired'],
    [{ type: 'Text', isValueRequired: true }, 'schema.defaultValue'],
    [{ type: 'Text', defaultValue: 5 }, 'schema.defaultValue'],
    [{ type: 'Text', maxLength: 2, defaultValue: 'abc' }, 'schema.defaultValue'],
    [{ type: 'Number', minValue: 10, defaultValue: 9 }, 'schema.defaultValue'],
    [{ type: 'Date', minValue: '2024-01-01', defaultValue: '2023-12-31' }, 'schema.defaultValue'],
    [{ type: 'Boolean', defaultValue: 'true' }, 'schema.defaultValue'],
    [{ type: 'SingleSelect', selectOptions: [30], defaultValue: '30' }, 'schema.defaultValue'],
    [{ type: 'MultiSelect', selectOptions: ['a'], defaultValue: 'a' }, 'schema.defaultValue'],
    [{ type: 'MultiSelect', selectOptions: ['a'], defaultValue: ['b'] }, 'schema.defaultValue[0]'],
    [{ type: 'MultiSelect', selectOptions: ['a'], isValueRequired: true, defaultValue: [] }, 'schema.defaultValue'],
  ])('refuses the schema %j, naming "%s"', (schema, field) => {
    const e = error(() => create(schema));
    expect(e.status).toBe(400);
    expect(e.message).toMatch(new RegExp(`^Invalid value for "${field.replace(/[[\]]/g, '\\$&')}": `));
  });
});

describe('validateFieldUpdate', () => {
  const stored: FieldSchema = { type: 'Number', minValue: 0, maxValue: 60, defaultValue: 20 };

  it('needs a label or a schema', () => {
    expect(error(() => validateFieldUpdate(stored, {})).message).toContain('"body"');
    expect(error(() => validateFieldUpdate(stored, { description: 'x' })).message).toContain('"body"');
  });

  it('changes the label alone', () => {
    expect(validateFieldUpdate(stored, { label: 'Discount' })).toEqual({ label: 'Discount' });
  });

  it('replaces the schema, keeping the stored type whatever type is sent', () => {
    expect(validateFieldUpdate(stored, { schema: { minValue: 500, maxValue: 2500 } })).toEqual({
      schema: { type: 'Number', minValue: 500, maxValue: 2500 },
    });
    expect(validateFieldUpdate(stored, { schema: { type: 'Text', minValue: 1 } }).schema).toEqual({ type: 'Number', minValue: 1 });
  });

  it('validates the new schema against the stored type', () => {
    expect(error(() => validateFieldUpdate(stored, { schema: { maxLength: 5 } })).message).toContain('"schema.maxLength"');
    expect(error(() => validateFieldUpdate(stored, { schema: { type: 'Text', minLength: 1 } })).message).toContain(
      'not allowed for type Number',
    );
    const select: FieldSchema = { type: 'SingleSelect', selectOptions: ['a'] };
    expect(error(() => validateFieldUpdate(select, { schema: { isValueRequired: true } })).message).toContain('"schema.selectOptions"');
    expect(error(() => validateFieldUpdate(select, { schema: { selectOptions: ['a'], isValueRequired: true } })).message).toContain(
      '"schema.defaultValue"',
    );
  });

  it('clears the description with "" or null', () => {
    expect(validateFieldUpdate(stored, { label: 'L', description: '' })).toEqual({ label: 'L', description: null });
    expect(validateFieldUpdate(stored, { label: 'L', description: null })).toEqual({ label: 'L', description: null });
    expect(validateFieldUpdate(stored, { label: 'L', description: 'hint' })).toEqual({ label: 'L', description: 'hint' });
  });
});

const field = (name: string, schema: FieldSchema, extra: Partial<FieldDef> = {}): FieldDef => ({
  id: `id-${name}`,
  name,
  label: name,
  schema,
  ...extra,
});

const FIELDS: FieldDef[] = [
  field('sku', { type: 'Text', minLength: 2, maxLength: 10 }),
  field('notes', { type: 'Textarea' }),
  field('price', { type: 'Number', minValue: 1000, maxValue: 3000 }),
  field('launch', { type: 'Date', minValue: '2020-01-01', maxValue: '2030-01-01' }),
  field('onSale', { type: 'Boolean' }),
  field('size', { type: 'SingleSelect', selectOptions: ['S', 'M', 'L', 30], isValueRequired: true, defaultValue: 'M' }),
  field('colours', { type: 'MultiSelect', selectOptions: ['red', 'blue', true] }),
  field('discount', { type: 'Number', defaultValue: 20 }),
  field('old', { type: 'Text', defaultValue: 'gone' }, { deleted: true }),
];

describe('validateCustomMetadataValues', () => {
  it('accepts values that fit their fields and returns them', () => {
    const values = {
      sku: 'VS882HJ2JD',
      notes: 'x'.repeat(5000),
      price: 1299.5,
      launch: '2024-05-01T10:00:00+02:00',
      onSale: false,
      size: 30,
      colours: ['red', true],
    };
    expect(validateCustomMetadataValues(values, FIELDS, { partial: false })).toEqual(values);
    expect(validateCustomMetadataValues({ colours: [] }, FIELDS, { partial: true })).toEqual({ colours: [] });
  });

  it.each([
    [{ brand: 'Nike' }, 'customMetadata.brand', 'no custom metadata field named "brand"'],
    [{ old: 'x' }, 'customMetadata.old', 'no custom metadata field named "old"'],
    [{ sku: 'A' }, 'customMetadata.sku', 'at least 2'],
    [{ sku: 'A'.repeat(11) }, 'customMetadata.sku', 'at most 10'],
    [{ sku: 5682342234 }, 'customMetadata.sku', 'must be a string'],
    [{ price: 900 }, 'customMetadata.price', '≥ 1000'],
    [{ price: 3001 }, 'customMetadata.price', '≤ 3000'],
    [{ price: 'one thousand' }, 'customMetadata.price', 'must be a number'],
    [{ launch: '2019-12-31' }, 'customMetadata.launch', 'on or after'],
    [{ launch: '2031-01-01T00:00:00Z' }, 'customMetadata.launch', 'on or before'],
    [{ launch: '05/01/2024' }, 'customMetadata.launch', 'ISO 8601'],
    [{ launch: 1714557600000 }, 'customMetadata.launch', 'ISO 8601'],
    [{ onSale: 'true' }, 'customMetadata.onSale', 'true or false'],
    [{ size: 'XXL' }, 'customMetadata.size', 'must be one of'],
    [{ size: '30' }, 'customMetadata.size', 'must be one of'],
    [{ colours: 'red' }, 'customMetadata.colours', 'array'],
    [{ colours: ['red', 'green'] }, 'customMetadata.colours[1]', 'must be one of'],
  ])('refuses %j, naming "%s"', (values, path, reason) => {
    const e = error(() => validateCustomMetadataValues(values, FIELDS, { partial: false }));
    expect(e.status).toBe(400);
    expect(e.message).toContain(`Invalid value for "${path}"`);
    expect(e.message).toContain(reason);
  });

  it('refuses anything but an object', () => {
    for (const values of [null, [], 'x', 3]) {
      expect(error(() => validateCustomMetadataValues(values, FIELDS, { partial: true })).message).toContain('"customMetadata"');
    }
  });

  it('null removes a value in an update, but not a required one', () => {
    expect(validateCustomMetadataValues({ sku: null, price: 2000 }, FIELDS, { partial: true })).toEqual({ sku: null, price: 2000 });
    expect(error(() => validateCustomMetadataValues({ size: null }, FIELDS, { partial: true })).message).toContain('required');
  });

  it('null is dropped on create, so the default applies', () => {
    const values = validateCustomMetadataValues({ size: null, sku: 'AB' }, FIELDS, { partial: false });
    expect(values).toEqual({ sku: 'AB' });
    expect(applyDefaults(values, FIELDS)).toEqual({ sku: 'AB', size: 'M', discount: 20 });
  });
});

describe('applyDefaults and applyPatch', () => {
  it('fills the defaults of fields the upload does not name, never of deleted fields', () => {
    expect(applyDefaults({ size: 'L', discount: 5 }, FIELDS)).toEqual({ size: 'L', discount: 5 });
    expect(applyDefaults({}, FIELDS)).toEqual({ size: 'M', discount: 20 });
  });

  it('copies array defaults, so later edits do not reach the field', () => {
    const fields = [field('tags', { type: 'MultiSelect', selectOptions: ['a', 'b'], defaultValue: ['a'] })];
    const values = applyDefaults({}, fields);
    (values.tags as string[]).push('b');
    expect(fields[0]!.schema.defaultValue).toEqual(['a']);
  });

  it('refuses a required field with no value and no default', () => {
    const fields = [field('must', { type: 'Text', isValueRequired: true })];
    const e = error(() => applyDefaults({}, fields));
    expect(e.status).toBe(400);
    expect(e.message).toContain('"customMetadata.must"');
  });

  it('applyPatch sets values and removes nulls', () => {
    expect(applyPatch({ a: 1, b: 2 }, { b: null, c: 3 })).toEqual({ a: 1, c: 3 });
  });
});

describe('describeField', () => {
  it('reads a custom_fields row into the API shape', () => {
    const row: CustomFieldRow = {
      id: 'f1',
      name: 'price',
      label: 'Price',
      schema: JSON.stringify({ maxValue: 3000, type: 'Number', minValue: 1000 }),
      description: null,
      deleted: 0,
      created_at: 1,
      updated_at: 2,
    };
    const described = describeField(row);
    expect(described).toEqual({ id: 'f1', name: 'price', label: 'Price', schema: { type: 'Number', minValue: 1000, maxValue: 3000 } });
    expect(Object.keys(described.schema)).toEqual(['type', 'minValue', 'maxValue']);
    expect(describeField({ ...row, description: 'hint' }).description).toBe('hint');
  });

  it('describes a FieldDef the same way', () => {
    expect(describeField(field('sku', { type: 'Text' }, { description: 'd' }))).toEqual({
      id: 'id-sku',
      name: 'sku',
      label: 'sku',
      schema: { type: 'Text' },
      description: 'd',
    });
  });
});

describe('parseIsoDate', () => {
  it.each([
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['2024-05-01T10:00', Date.UTC(2024, 4, 1, 10)],
    ['2010-11-05T05:06:07', Date.UTC(2010, 10, 5, 5, 6, 7)],
    ['2024-05-01T10:00:00.250Z', Date.UTC(2024, 4, 1, 10, 0, 0, 250)],
    ['2024-05-01T10:00:00+02:00', Date.UTC(2024, 4, 1, 8)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
  ])('reads %s', (text, ms) => {
    expect(parseIsoDate(text)).toBe(ms);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-00-10', '2024-05-01T24:00', '2024-05-01 10:00', '20240501', 'now', '2024-05-01T10:00+0200'])(
    'refuses %s',
    (text) => {
      expect(parseIsoDate(text)).toBeUndefined();
    },
  );
});
