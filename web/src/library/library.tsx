/** The media library: folders, search, the virtualised grid, uploads, bulk actions and one file's details. */
import { useCallback, useState } from 'preact/hooks';
import { api } from '../api';
import { can, type Session } from '../session';
import { ErrorBox, inputChecked, inputValue, useAction } from '../ui/kit';
import { Details } from './details';
import { useFileList } from './file-list';
import { FolderTree } from './folder-tree';
import { Grid } from './grid';
import { SearchBar } from './search-bar';
import type { FileRecord } from './types';
import { DropZone, UploadButton, UploadList, useUploads } from './uploader';

export function Library({ session }: { session: Session }) {
  const canWrite = can(session.permissions, 'files', 'read_write');
  const [folder, setFolder] = useState('/');
  const [searchQuery, setSearchQuery] = useState('');
  const [sort, setSort] = useState('DESC_CREATED');
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [keepNames, setKeepNames] = useState(false);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const list = useFileList(folder, searchQuery, sort, version);
  const uploads = useUploads(refresh);

  const toggle = (file: FileRecord, index: number, range: boolean) => {
    const next = new Set(selected);
    if (range && anchor !== null) {
      const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
      for (let i = from; i <= to; i++) next.add(list.files[i]!.fileId);
    } else if (next.has(file.fileId)) next.delete(file.fileId);
    else next.add(file.fileId);
    setAnchor(index);
    setSelected(next);
  };
  const changeFolder = (path: string) => {
    setFolder(path);
    setSearchQuery('');
    setSelected(new Set());
  };

  return (
    <div class="library">
      <aside class="folders">
        <FolderTree current={folder} onSelect={changeFolder} version={version} />
        {canWrite ? <NewFolder parent={folder} onDone={refresh} /> : null}
      </aside>
      <div class="files">
        <div class="toolbar">
          <SearchBar value={searchQuery} onSearch={(q) => (setSearchQuery(q), setSelected(new Set()))} />
          <select value={sort} onChange={(e) => setSort(inputValue(e))} aria-label="Sort">
            <option value="DESC_CREATED">Newest</option>
            <option value="ASC_NAME">Name</option>
            <option value="DESC_SIZE">Largest</option>
            <option value="DESC_UPDATED">Recently changed</option>
          </select>
          {canWrite ? (
            <>
              <UploadButton onFiles={(files) => uploads.add(files, folder, keepNames)} />
              <label class="check" title="Uploading a file whose name exists in the folder adds a version instead of a renamed copy">
                <input type="checkbox" name="keep-names" checked={keepNames} onChange={(e) => setKeepNames(inputChecked(e))} /> Same name: new version
              </label>
            </>
          ) : null}
        </div>
        {selected.size && canWrite ? <BulkActions ids={[...selected]} files={list.files} onDone={() => (setSelected(new Set()), refresh())} /> : null}
        <UploadList {...uploads} />
        <ErrorBox error={list.error} />
        <DropZone enabled={canWrite} onFiles={(files) => uploads.add(files, folder, keepNames)}>
          <Grid files={list.files} done={list.done} selected={selected} onToggle={toggle} onOpen={(f) => setOpen(f.fileId)} onNearEnd={list.loadMore} />
          <p class="status" id="list-status">
            {list.loading ? 'Loading…' : `${list.files.length}${list.done ? '' : '+'} files${searchQuery ? ' matching' : ` in ${folder}`}`}
          </p>
        </DropZone>
      </div>
      {open ? <Details fileId={open} canWrite={canWrite} onChanged={refresh} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}

function BulkActions({ ids, files, onDone }: { ids: string[]; files: FileRecord[]; onDone: () => void }) {
  const [tags, setTags] = useState('');
  const [target, setTarget] = useState('/');
  const [act, error, busy] = useAction();
  const addTags = () => act(async () => (await api('POST', '/v1/files/addTags', { fileIds: ids, tags: tags.split(',').map((t) => t.trim()).filter(Boolean) }), onDone()));
  const move = () =>
    act(async () => {
      const byId = new Map(files.map((f) => [f.fileId, f]));
      for (const id of ids) {
        const file = byId.get(id);
        if (file) await api('POST', '/v1/files/move', { sourceFilePath: file.filePath, destinationPath: target });
      }
      onDone();
    });
  const remove = () => act(async () => (await api('POST', '/v1/files/batch/deleteByFileIds', { fileIds: ids }), onDone()));
  return (
    <div class="bulk" aria-label="Selected files">
      <strong>{ids.length} selected</strong>
      <input placeholder="tag, tag" value={tags} onInput={(e) => setTags(inputValue(e))} name="bulk-tags" />
      <button disabled={busy || !tags.trim()} onClick={addTags}>Add tags</button>
      <input placeholder="/folder" value={target} onInput={(e) => setTarget(inputValue(e))} name="bulk-target" />
      <button disabled={busy} onClick={move}>Move</button>
      <button disabled={busy} class="danger" onClick={remove} id="bulk-delete">Delete</button>
      <ErrorBox error={error} />
    </div>
  );
}

function NewFolder({ parent, onDone }: { parent: string; onDone: () => void }) {
  const [name, setName] = useState('');
  const [act, error, busy] = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    void act(async () => (await api('POST', '/v1/folder', { folderName: name, parentFolderPath: parent }), setName(''), onDone()));
  };
  const remove = () => act(async () => (await api('DELETE', '/v1/folder', { folderPath: parent }), onDone()));
  return (
    <form class="new-folder" onSubmit={create}>
      <input placeholder={`New folder in ${parent}`} value={name} onInput={(e) => setName(inputValue(e))} />
      <button disabled={busy || !name}>Create</button>
      {parent !== '/' ? <button type="button" class="link danger" onClick={remove}>Delete {parent}</button> : null}
      <ErrorBox error={error} />
    </form>
  );
}
