/** Drop files anywhere on the library (or pick them): each gets a progress bar, retries, and a retry button. */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { formatBytes } from '../ui/kit';
import { upload, type UploadItem } from './upload';

let nextId = 1;

export function useUploads(onUploaded: () => void) {
  const [items, setItems] = useState<UploadItem[]>([]);
  const put = (item: UploadItem) => setItems((list) => list.map((i) => (i.id === item.id ? item : i)));
  const run = async (item: UploadItem) => {
    await upload(item, put);
    onUploaded();
  };
  const add = (files: Iterable<File>, folder: string, keepName: boolean) => {
    const added = [...files].map((file): UploadItem => ({ id: nextId++, file, folder, keepName, state: 'queued', loaded: 0, total: file.size, attempts: 0 }));
    setItems((list) => [...list, ...added]);
    // Two at a time: the page stays responsive and the Worker's memory gate is not flooded.
    let index = 0;
    const worker = async () => {
      while (index < added.length) await run(added[index++]!);
    };
    void Promise.all([worker(), worker()]);
  };
  const retry = (item: UploadItem) => void run({ ...item, attempts: 0 });
  const clear = () => setItems((list) => list.filter((i) => i.state !== 'done'));
  return { items, add, retry, clear };
}

export function DropZone({ onFiles, enabled, children }: { onFiles: (files: FileList) => void; enabled: boolean; children: ComponentChildren }) {
  const [over, setOver] = useState(false);
  if (!enabled) return <div class="dropzone">{children}</div>;
  return (
    <div
      class={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (e.dataTransfer?.files.length) onFiles(e.dataTransfer.files);
      }}
    >
      {children}
    </div>
  );
}

export function UploadButton({ onFiles }: { onFiles: (files: FileList) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        id="upload-input"
        onChange={(e) => {
          const files = (e.currentTarget as HTMLInputElement).files;
          if (files?.length) onFiles(files);
          (e.currentTarget as HTMLInputElement).value = '';
        }}
      />
      <button onClick={() => input.current?.click()}>Upload…</button>
    </>
  );
}

export function UploadList({ items, retry, clear }: ReturnType<typeof useUploads>) {
  if (!items.length) return null;
  return (
    <section class="uploads" aria-label="Uploads">
      <header>
        <strong>Uploads</strong> <button class="link" onClick={clear}>Clear finished</button>
      </header>
      <ul>
        {items.map((item) => (
          <li key={item.id} data-upload={item.file.name} data-state={item.state}>
            <span class="name">{item.file.name}</span>
            <progress max={item.total || 1} value={item.loaded} />
            <small>
              {item.state === 'uploading' ? `${formatBytes(item.loaded)} / ${formatBytes(item.total)}` : item.state}
              {item.attempts > 1 ? ` (attempt ${item.attempts})` : ''}
              {item.error ? ` — ${item.error}` : ''}
            </small>
            {item.state === 'failed' ? <button class="link" onClick={() => retry(item)}>Retry</button> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
