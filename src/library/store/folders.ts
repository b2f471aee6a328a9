/** Folders in SQLite. The root `/` is implicit and never stored. */
import { newId } from '../ids';
import { folderChain, folderName, parentFolder, ROOT } from '../paths';
import type { FolderRecord } from '../records';
import { first, JSON_LIST, type Row, rows } from './sql';

function folderFrom(row: Row): FolderRecord {
  return {
    id: String(row.id),
    path: String(row.path),
    parent: String(row.parent),
    name: String(row.name),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class FolderStore {
  constructor(private readonly sql: SqlStorage) {}

  exists(path: string): boolean {
    return path === ROOT || first(this.sql, 'SELECT 1 AS x FROM folders WHERE path = ?', path) !== undefined;
  }

  byPath(path: string): FolderRecord | undefined {
    const row = first(this.sql, 'SELECT * FROM folders WHERE path = ?', path);
    return row && folderFrom(row);
  }

  byIds(ids: string[]): FolderRecord[] {
    if (ids.length === 0) return [];
    return rows(this.sql, `SELECT * FROM folders WHERE id IN ${JSON_LIST}`, JSON.stringify(ids)).map(folderFrom);
  }

  /** Creates `folder` and any missing ancestors. */
  ensure(folder: string, now: number): void {
    for (const path of folderChain(folder)) {
      this.sql.exec(
        'INSERT OR IGNORE INTO folders (id, path, parent, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        newId(), path, parentFolder(path), folderName(path), now, now,
      );
    }
  }

  /** `folder` and every folder below it, shallowest first. */
  tree(folder: string): FolderRecord[] {
    return rows(this.sql, 'SELECT * FROM folders WHERE substr(path, 1, length(?)) = ? ORDER BY length(path)', folder, folder).map(folderFrom);
  }

  /** Removes `folder` and every folder below it. */
  deleteTree(folder: string): void {
    this.sql.exec('DELETE FROM folders WHERE substr(path, 1, length(?)) = ?', folder, folder);
  }

  /** Re-roots `folder`'s subtree at `target` (move, rename): `/a/x/` under `/a/` → `/b/x/` under `/b/`. */
  rebase(folder: string, target: string, now: number): void {
    for (const f of this.tree(folder)) {
      const path = target + f.path.slice(folder.length);
      this.sql.exec('UPDATE folders SET path = ?, parent = ?, name = ?, updated_at = ? WHERE id = ?', path, parentFolder(path), folderName(path), now, f.id);
    }
  }
}
