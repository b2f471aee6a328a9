/**
 * Custom metadata fields through `@imagekit/nodejs` (`client.customMetadataFields`): the Field shape, listing with
 * and without deleted fields, updates that keep the type, deletion, names that are never reused, schema rules
 * that answer a 400 naming the property, and required fields whose default a new upload gets.
 */
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/registry';
import { callApi } from '../api-helpers';
import { fixtureBytes } from '../helpers';
import { failure, type LibraryTenant, newLibraryTenant } from '../library-helpers';

const jpegFile = async (name = 'photo.jpg') => new File([await fixtureBytes(fixtures.jpegBaseline.path)], name);

/** The message of a failed call, after checking it is a 400. */
async function badRequest(call: Promise<unknown>): Promise<string> {
  const refused = await failure(call);
  expect(refused.status, String(refused.body.message)).toBe(400);
  return String(refused.body.message);
}

const names = async (t: LibraryTenant, includeDeleted?: boolean) =>
  (await t.client.customMetadataFields.list(includeDeleted === undefined ? {} : { includeDeleted })).map((f) => f.name);

describe('custom metadata fields', () => {
  it('creates a field: 201 with {id, name, label, schema}, only the schema keys that were set', async () => {
    const t = await newLibraryTenant();
    const { data, response } = await t.client.customMetadataFields
      .create({ name: 'price', label: 'Price', schema: { type: 'Number', minValue: 0, maxValue: 1000 } })
      .withResponse();
    expect(response.status).toBe(201);
    expect(response.headers.get('x-ik-requestId')).toMatch(/\S/);
    expect(data).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: 'price', label: 'Price', schema: { type: 'Number', minValue: 0, maxValue: 1000 } });

    const select = await t.client.customMetadataFields.create({
      name: 'color',
      label: 'Color',
      description: 'Main colour',
      schema: { type: 'SingleSelect', selectOptions: ['red', 'green', 'blue'], defaultValue: 'red' },
    });
    expect(select).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'color',
      label: 'Color',
      description: 'Main colour',
      schema: { type: 'SingleSelect', defaultValue: 'red', selectOptions: ['red', 'green', 'blue'] },
    });
    expect(select.id).not.toBe(data.id);
  });

  it('lists fields in creation order; deleted ones only with includeDeleted', async () => {
    const t = await newLibraryTenant();
    expect(await t.client.customMetadataFields.list()).toEqual([]);
    const a = await t.client.customMetadataFields.create({ name: 'a', label: 'A', schema: { type: 'Text' } });
    const b = await t.client.customMetadataFields.create({ name: 'b', label: 'B', schema: { type: 'Boolean' } });
    await t.client.customMetadataFields.create({ name: 'c', label: 'C', schema: { type: 'Date', minValue: '2020-01-01' } });
    const listed = await t.client.customMetadataFields.list();
    expect(listed.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    expect(listed[0]).toEqual(a);
    expect(listed[1]).toEqual(b);
    expect(listed[2]!.schema).toEqual({ type: 'Date', minValue: '2020-01-01' });

    await t.client.customMetadataFields.delete(b.id);
    expect(await names(t)).toEqual(['a', 'c']);
    expect(await names(t, false)).toEqual(['a', 'c']);
    expect(await names(t, true)).toEqual(['a', 'b', 'c']);

    const bad = await callApi(t.auth, 'GET', '/v1/customMetadataFields?includeDeleted=yes');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('includeDeleted');
  });

  it('updates label, description and schema; the type never changes', async () => {
    const t = await newLibraryTenant();
    const field = await t.client.customMetadataFields.create({ name: 'brand', label: 'Brand', schema: { type: 'Text', maxLength: 10 } });

    const relabelled = await t.client.customMetadataFields.update(field.id, { label: 'Brand name' });
    expect(relabelled).toEqual({ id: field.id, name: 'brand', label: 'Brand name', schema: { type: 'Text', maxLength: 10 } });

    const reschemed = await t.client.customMetadataFields.update(field.id, { schema: { minLength: 2, maxLength: 20 }, description: 'Who made it' });
    expect(reschemed).toEqual({
      id: field.id,
      name: 'brand',
      label: 'Brand name',
      description: 'Who made it',
      schema: { type: 'Text', minLength: 2, maxLength: 20 },
    });

    // A type in the update is not a change of type: the stored type stays, and the schema is checked against it.
    const retyped = await t.client.customMetadataFields.update(field.id, { schema: { type: 'Number', maxLength: 30 } } as never);
    expect(retyped.schema).toEqual({ type: 'Text', maxLength: 30 });
    const numeric = await badRequest(t.client.customMetadataFields.update(field.id, { schema: { type: 'Number', minValue: 1 } } as never));
    expect(numeric).toContain('schema.minValue');

    expect((await t.client.customMetadataFields.list())[0]).toEqual({ id: field.id, name: 'brand', label: 'Brand name', description: 'Who made it', schema: { type: 'Text', maxLength: 30 } });

    // The new schema applies to values from then on.
    const long = await badRequest(t.client.files.upload({ file: await jpegFile(), fileName: 'x.jpg', customMetadata: { brand: 'x'.repeat(31) } }));
    expect(long).toContain('customMetadata.brand');

    // An empty description clears it.
    expect(await t.client.customMetadataFields.update(field.id, { label: 'Brand name', description: '' })).toEqual({
      id: field.id,
      name: 'brand',
      label: 'Brand name',
      schema: { type: 'Text', maxLength: 30 },
    });

    expect(await badRequest(t.client.customMetadataFields.update(field.id, {}))).toContain('label or schema');
    expect(await badRequest(t.client.customMetadataFields.update(field.id, { label: '' }))).toContain('"label"');
    const missing = await failure(t.client.customMetadataFields.update('0123456789abcdef01234567', { label: 'X' }));
    expect(missing.status).toBe(404);
  });

  it('deletes a field: 204, then 404 for the id; the field no longer takes values', async () => {
    const t = await newLibraryTenant();
    const field = await t.client.customMetadataFields.create({ name: 'season', label: 'Season', schema: { type: 'Text' } });
    const res = await t.client.customMetadataFields.delete(field.id).asResponse();
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');

    const again = await failure(t.client.customMetadataFields.delete(field.id));
    expect(again.status).toBe(404);
    expect((await failure(t.client.customMetadataFields.update(field.id, { label: 'Again' }))).status).toBe(404);
    expect((await failure(t.client.customMetadataFields.delete('nope'))).status).toBe(404);

    const refused = await badRequest(t.client.files.upload({ file: await jpegFile(), fileName: 'x.jpg', customMetadata: { season: 'summer' } }));
    expect(refused).toContain('customMetadata.season');
  });

  it('never reuses a name, deleted or not: 409 with x-should-retry: false', async () => {
    const t = await newLibraryTenant();
    const field = await t.client.customMetadataFields.create({ name: 'sku', label: 'SKU', schema: { type: 'Text' } });
    const taken = await failure(t.client.customMetadataFields.create({ name: 'sku', label: 'Other', schema: { type: 'Number' } }));
    expect(taken.status).toBe(409);
    expect(taken.headers.get('x-should-retry')).toBe('false');
    expect(String(taken.body.message)).toContain('sku');

    await t.client.customMetadataFields.delete(field.id);
    const reused = await failure(t.client.customMetadataFields.create({ name: 'sku', label: 'SKU', schema: { type: 'Text' } }));
    expect(reused.status).toBe(409);
    expect(reused.headers.get('x-should-retry')).toBe('false');
    expect(await names(t, true)).toEqual(['sku']);

    // Names are case-sensitive: another case is another name.
    expect((await t.client.customMetadataFields.create({ name: 'SKU', label: 'SKU', schema: { type: 'Text' } })).name).toBe('SKU');
  });

  it('refuses invalid definitions with a 400 naming the property, and stores nothing', async () => {
    const t = await newLibraryTenant();
    const cases: [Record<string, unknown>, string][] = [
      [{ label: 'X', schema: { type: 'Text' } }, '"name"'],
      [{ name: 'has space', label: 'X', schema: { type: 'Text' } }, '"name"'],
      [{ name: 'x', schema: { type: 'Text' } }, '"label"'],
      [{ name: 'x', label: '  ', schema: { type: 'Text' } }, '"label"'],
      [{ name: 'x', label: 'X' }, '"schema"'],
      [{ name: 'x', label: 'X', schema: { type: 'Color' } }, '"schema.type"'],
      [{ name: 'x', label: 'X', schema: {} }, '"schema.type"'],
      [{ name: 'x', label: 'X', schema: { type: 'Text', pattern: '.*' } }, '"schema.pattern"'],
      [{ name: 'x', label: 'X', schema: { type: 'Number', minLength: 1 } }, '"schema.minLength"'],
      [{ name: 'x', label: 'X', schema: { type: 'Text', minValue: 1 } }, '"schema.minValue"'],
      [{ name: 'x', label: 'X', schema: { type: 'Text', selectOptions: ['a'] } }, '"schema.selectOptions"'],
      [{ name: 'x', label: 'X', schema: { type: 'SingleSelect' } }, '"schema.selectOptions"'],
      [{ name: 'x', label: 'X', schema: { type: 'MultiSelect', selectOptions: [] } }, '"schema.selectOptions"'],
      [{ name: 'x', label: 'X', schema: { type: 'SingleSelect', selectOptions: ['a', 'a'] } }, '"schema.selectOptions[1]"'],
      [{ name: 'x', label: 'X', schema: { type: 'SingleSelect', selectOptions: ['a'], defaultValue: 'b' } }, '"schema.defaultValue"'],
      [{ name: 'x', label: 'X', schema: { type: 'Text', minLength: 5, maxLength: 2 } }, '"schema.minLength"'],
      [{ name: 'x', label: 'X', schema: { type: 'Text', maxLength: -1 } }, '"schema.maxLength"'],
      [{ name: 'x', label: 'X', schema: { type: 'Number', minValue: 10, maxValue: 1 } }, '"schema.minValue"'],
      [{ name: 'x', label: 'X', schema: { type: 'Number', minValue: '1' } }, '"schema.minValue"'],
      [{ name: 'x', label: 'X', schema: { type: 'Date', maxValue: '2024-02-30' } }, '"schema.maxValue"'],
      [{ name: 'x', label: 'X', schema: { type: 'Number', defaultValue: 'ten' } }, '"schema.defaultValue"'],
      [{ name: 'x', label: 'X', schema: { type: 'Number', minValue: 5, defaultValue: 1 } }, '"schema.defaultValue"'],
      [{ name: 'x', label: 'X', schema: { type: 'Text', isValueRequired: true } }, '"schema.defaultValue"'],
      [{ name: 'x', label: 'X', schema: { type: 'Boolean', isValueRequired: 'yes', defaultValue: true } }, '"schema.isValueRequired"'],
      [{ name: 'x', label: 'X', description: 'd'.repeat(501), schema: { type: 'Text' } }, '"description"'],
    ];
    for (const [body, field] of cases) {
      const message = await badRequest(t.client.customMetadataFields.create(body as never));
      expect(message, JSON.stringify(body)).toContain(field);
    }
    const notJson = await callApi(t.auth, 'POST', '/v1/customMetadataFields', '{"name":');
    expect(notJson.status).toBe(400);
    expect(await names(t, true)).toEqual([]);
  });

  it('gives a new upload the default of a required field, keeps a value it names, and refuses removing it', async () => {
    const t = await newLibraryTenant();
    await t.client.customMetadataFields.create({
      name: 'status',
      label: 'Status',
      schema: { type: 'SingleSelect', selectOptions: ['draft', 'live'], isValueRequired: true, defaultValue: 'draft' },
    });
    await t.client.customMetadataFields.create({ name: 'sizes', label: 'Sizes', schema: { type: 'MultiSelect', selectOptions: ['S', 'M', 'L'], defaultValue: ['M'] } });
    await t.client.customMetadataFields.create({ name: 'note', label: 'Note', schema: { type: 'Textarea' } });

    const plain = await t.client.files.upload({ file: await jpegFile(), fileName: 'plain.jpg' });
    expect(plain.customMetadata).toEqual({ status: 'draft', sizes: ['M'] });
    expect((await t.client.files.get(plain.fileId!)).customMetadata).toEqual({ status: 'draft', sizes: ['M'] });

    const named = await t.client.files.upload({ file: await jpegFile(), fileName: 'named.jpg', customMetadata: { status: 'live', sizes: ['S', 'L'], note: 'hi' } });
    expect(named.customMetadata).toEqual({ status: 'live', sizes: ['S', 'L'], note: 'hi' });

    expect(await badRequest(t.client.files.upload({ file: await jpegFile(), fileName: 'bad.jpg', customMetadata: { status: 'gone' } }))).toContain('customMetadata.status');
    expect(await badRequest(t.client.files.upload({ file: await jpegFile(), fileName: 'bad.jpg', customMetadata: { sizes: ['XL'] } }))).toContain('customMetadata.sizes[0]');

    const removal = await badRequest(t.client.files.update(plain.fileId!, { customMetadata: { status: null } }));
    expect(removal).toContain('customMetadata.status');
    const cleared = await t.client.files.update(plain.fileId!, { customMetadata: { sizes: null, status: 'live' } });
    expect(cleared.customMetadata).toEqual({ status: 'live' });
  });

  it('a files: read key lists fields but cannot change them', async () => {
    const owner = await newLibraryTenant();
    const reader = await newLibraryTenant({ files: 'read', settings: 'none', audit: 'none' });
    expect(await reader.client.customMetadataFields.list()).toEqual([]);
    expect((await failure(reader.client.customMetadataFields.create({ name: 'x', label: 'X', schema: { type: 'Text' } }))).status).toBe(403);
    // Another tenant's field is not there for this tenant.
    const field = await owner.client.customMetadataFields.create({ name: 'x', label: 'X', schema: { type: 'Text' } });
    const other = await newLibraryTenant();
    expect(await other.client.customMetadataFields.list({ includeDeleted: true })).toEqual([]);
    expect((await failure(other.client.customMetadataFields.update(field.id, { label: 'Y' }))).status).toBe(404);
    expect((await failure(other.client.customMetadataFields.delete(field.id))).status).toBe(404);
    expect((await other.client.customMetadataFields.create({ name: 'x', label: 'X', schema: { type: 'Number' } })).schema.type).toBe('Number');
  });
});
