/** Custom metadata field definitions in SQLite. Deleting only marks a field, so its name is never reused. */
import { HttpError } from '../../http/errors';
import { type CustomFieldRow, type FieldDef, type FieldInput, type FieldUpdate, fieldFromRow } from '../custom-metadata';
import { newId } from '../ids';
import { first, rows } from './sql';

export const fieldNotFound = () =>
  new HttpError(404, 'No custom metadata field found with this id.', 'List them with GET /v1/customMetadataFields.');

export class CustomFieldStore {
  constructor(private readonly sql: SqlStorage) {}

  list(includeDeleted: boolean): FieldDef[] {
    const where = includeDeleted ? '' : 'WHERE deleted = 0';
    return rows<CustomFieldRow & Record<string, string | number | null>>(this.sql, `SELECT * FROM custom_fields ${where} ORDER BY created_at, id`).map(fieldFromRow);
  }

  /** Fields that files may carry values for. */
  active(): FieldDef[] {
    return this.list(false);
  }

  byId(id: string): FieldDef {
    const row = first<CustomFieldRow & Record<string, string | number | null>>(this.sql, 'SELECT * FROM custom_fields WHERE id = ? AND deleted = 0', id);
    if (!row) throw fieldNotFound();
    return fieldFromRow(row);
  }

  create(input: FieldInput, now: number): FieldDef {
    if (first(this.sql, 'SELECT 1 AS x FROM custom_fields WHERE name = ?', input.name)) {
      throw new HttpError(
        409,
        `A custom metadata field named "${input.name}" exists or existed; names are never reused.`,
        'Choose another name.',
        { 'x-should-retry': 'false' },
      );
    }
    const id = newId();
    this.sql.exec(
      'INSERT INTO custom_fields (id, name, label, schema, description, deleted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)',
      id, input.name, input.label, JSON.stringify(input.schema), input.description ?? null, now, now,
    );
    return this.byId(id);
  }

  update(id: string, update: FieldUpdate, now: number): FieldDef {
    const field = this.byId(id);
    this.sql.exec(
      'UPDATE custom_fields SET label = ?, schema = ?, description = ?, updated_at = ? WHERE id = ?',
      update.label ?? field.label,
      JSON.stringify(update.schema ?? field.schema),
      update.description === undefined ? (field.description ?? null) : update.description,
      now,
      id,
    );
    return this.byId(id);
  }

  delete(id: string, now: number): void {
    this.byId(id);
    this.sql.exec('UPDATE custom_fields SET deleted = 1, updated_at = ? WHERE id = ?', now, id);
  }
}
