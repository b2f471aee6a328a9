/** One file: preview, facts, tags and custom metadata editing, its versions, and URLs to copy. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorBox, formatBytes, inputValue, useAction, useLoad } from '../ui/kit';
import { UrlBuilder } from './url-builder';
import type { FileRecord } from './types';

interface Version {
  versionInfo: { id: string; name: string };
  size: number;
  width?: number;
  height?: number;
  createdAt: string;
  url: string;
  thumbnail?: string;
}

export function Details({ fileId, canWrite, onChanged, onClose }: { fileId: string; canWrite: boolean; onChanged: () => void; onClose: () => void }) {
  const file = useLoad(() => api<FileRecord>('GET', `/v1/files/${encodeURIComponent(fileId)}/details`), [fileId]);
  const [tab, setTab] = useState<'info' | 'versions' | 'url'>('info');
  const changed = () => {
    file.reload();
    onChanged();
  };
  return (
    <aside class="details" aria-label="File details" data-file-id={fileId}>
      <header>
        <h2>{file.data?.name ?? '…'}</h2>
        <button class="link" onClick={onClose} aria-label="Close">✕</button>
      </header>
      <ErrorBox error={file.error} />
      {file.data ? (
        <>
          <nav class="tabs">
            {(['info', 'versions', 'url'] as const).map((t) => (
              <button class={tab === t ? 'active' : ''} onClick={() => setTab(t)} data-tab={t}>
                {t === 'info' ? 'Details' : t === 'versions' ? 'Versions' : 'Copy URL'}
              </button>
            ))}
          </nav>
          {tab === 'info' ? <Info file={file.data} canWrite={canWrite} onChanged={changed} /> : null}
          {tab === 'versions' ? <Versions file={file.data} canWrite={canWrite} onChanged={changed} /> : null}
          {tab === 'url' ? <UrlBuilder file={file.data} /> : null}
        </>
      ) : null}
    </aside>
  );
}

function Info({ file, canWrite, onChanged }: { file: FileRecord; canWrite: boolean; onChanged: () => void }) {
  const [tags, setTags] = useState((file.tags ?? []).join(', '));
  const [custom, setCustom] = useState(JSON.stringify(file.customMetadata ?? {}, null, 2));
  const [act, error, busy] = useAction();
  const metadata = useLoad(() => api<Record<string, unknown>>('GET', `/v1/files/${encodeURIComponent(file.fileId)}/metadata`), [file.fileId, file.versionInfo?.id]);
  useEffect(() => {
    setTags((file.tags ?? []).join(', '));
    setCustom(JSON.stringify(file.customMetadata ?? {}, null, 2));
  }, [file]);

  const save = () =>
    act(async () => {
      let customMetadata: unknown;
      try {
        customMetadata = JSON.parse(custom || '{}');
      } catch {
        throw new Error('Custom metadata must be a JSON object, e.g. {"brand": "acme"}.');
      }
      const tagList = tags.split(',').map((t) => t.trim()).filter(Boolean);
      await api('PATCH', `/v1/files/${encodeURIComponent(file.fileId)}/details`, { tags: tagList, customMetadata });
      onChanged();
    });

  return (
    <div class="info">
      {file.fileType === 'image' ? <img class="preview" src={file.isPrivateFile ? (file.thumbnail ?? '') : `${file.url}${file.url.includes('?') ? '&' : '?'}tr=w-480,h-360,c-at_max`} alt={file.name} /> : null}
      <dl>
        <dt>Path</dt>
        <dd id="detail-path">{file.filePath}</dd>
        <dt>Dimensions</dt>
        <dd id="detail-dimensions">{file.width && file.height ? `${file.width} × ${file.height}` : '—'}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(file.size)}</dd>
        <dt>Type</dt>
        <dd>{file.mime ?? file.fileType}</dd>
        <dt>Version</dt>
        <dd id="detail-version">{file.versionInfo?.name}</dd>
        <dt>Private</dt>
        <dd>{file.isPrivateFile ? 'yes (signed URLs only)' : 'no'}</dd>
        <dt>Updated</dt>
        <dd>{new Date(file.updatedAt).toLocaleString()}</dd>
      </dl>
      <label class="field">
        <span>Tags (comma-separated)</span>
        <input name="tags" value={tags} disabled={!canWrite} onInput={(e) => setTags(inputValue(e))} />
      </label>
      <label class="field">
        <span>Custom metadata (JSON; fields are defined under the API's customMetadataFields)</span>
        <textarea name="customMetadata" rows={4} value={custom} disabled={!canWrite} onInput={(e) => setCustom(inputValue(e))} />
      </label>
      <ErrorBox error={error} />
      {canWrite ? (
        <button onClick={save} disabled={busy} id="save-details">
          Save
        </button>
      ) : null}
      <details>
        <summary>Metadata</summary>
        <ErrorBox error={metadata.error} />
        {metadata.data ? <pre class="metadata">{JSON.stringify(metadata.data, null, 2)}</pre> : null}
      </details>
    </div>
  );
}

function Versions({ file, canWrite, onChanged }: { file: FileRecord; canWrite: boolean; onChanged: () => void }) {
  const versions = useLoad(() => api<Version[]>('GET', `/v1/files/${encodeURIComponent(file.fileId)}/versions`), [file.fileId, file.versionInfo?.id]);
  const [act, error, busy] = useAction();
  const path = (v: Version) => `/v1/files/${encodeURIComponent(file.fileId)}/versions/${encodeURIComponent(v.versionInfo.id)}`;
  const restore = (v: Version) => act(async () => (await api('PUT', `${path(v)}/restore`), onChanged()));
  const remove = (v: Version) => act(async () => (await api('DELETE', path(v)), versions.reload()));
  return (
    <div class="versions">
      <ErrorBox error={versions.error ?? error} />
      <ul>
        {(versions.data ?? []).map((v) => {
          const current = v.versionInfo.id === file.versionInfo?.id;
          return (
            <li key={v.versionInfo.id} data-version={v.versionInfo.name} class={current ? 'current' : ''}>
              {v.thumbnail ? <img src={v.thumbnail} alt="" width={64} height={48} loading="lazy" /> : null}
              <span>
                {v.versionInfo.name} · {v.width && v.height ? `${v.width}×${v.height} · ` : ''}
                {formatBytes(v.size)} · {new Date(v.createdAt).toLocaleString()}
              </span>
              {current ? <em>current</em> : null}
              {canWrite && !current ? (
                <>
                  <button disabled={busy} onClick={() => restore(v)} data-action="restore">Restore</button>
                  <button disabled={busy} class="danger" onClick={() => remove(v)} data-action="delete-version">Delete</button>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
