/** Folders, loaded one level at a time as they are opened. */
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { useLoad } from '../ui/kit';
import type { FolderRecord } from './types';

export function FolderTree({ current, onSelect, version }: { current: string; onSelect: (path: string) => void; version: number }) {
  return (
    <ul class="tree" role="tree">
      <li>
        <button class={current === '/' ? 'active' : ''} onClick={() => onSelect('/')} data-folder="/">
          All files
        </button>
        <Children path="/" current={current} onSelect={onSelect} version={version} />
      </li>
    </ul>
  );
}

function Children({ path, current, onSelect, version }: { path: string; current: string; onSelect: (path: string) => void; version: number }) {
  const folders = useLoad(() => api<FolderRecord[]>('GET', `/v1/files${query({ type: 'folder', path, sort: 'ASC_NAME', limit: 1000 })}`), [path, version]);
  if (!folders.data?.length) return null;
  return (
    <ul role="group">
      {folders.data.map((folder) => (
        <Folder key={folder.folderPath} folder={folder} current={current} onSelect={onSelect} version={version} />
      ))}
    </ul>
  );
}

function Folder({ folder, current, onSelect, version }: { folder: FolderRecord; current: string; onSelect: (path: string) => void; version: number }) {
  const path = folder.folderPath.replace(/\/?$/, '/');
  const [open, setOpen] = useState(current.startsWith(path));
  return (
    <li>
      <button class="twisty" aria-label={open ? 'Collapse' : 'Expand'} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'}
      </button>
      <button class={current === path ? 'active' : ''} onClick={() => onSelect(path)} data-folder={path}>
        {folder.name}
      </button>
      {open ? <Children path={path} current={current} onSelect={onSelect} version={version} /> : null}
    </li>
  );
}
