/**
 * One file's upload: XHR rather than fetch because only XHR reports upload progress. A network failure, a
 * 429 or a 5xx is tried again (at most three times, waiting longer each time); any other answer is final. The
 * server keeps nothing of a failed upload, so a retry sends the whole file again.
 */
import { API, getCsrfToken } from '../api';

export type UploadState = 'queued' | 'uploading' | 'retrying' | 'done' | 'failed';

export interface UploadItem {
  id: number;
  file: File;
  folder: string;
  /** Keep the file's name: an upload to a path that exists becomes the file's new version. */
  keepName: boolean;
  state: UploadState;
  loaded: number;
  total: number;
  attempts: number;
  error?: string;
  fileId?: string;
}

export const MAX_ATTEMPTS = 3;
const retryable = (status: number) => status === 0 || status === 429 || status >= 500;

export function sendOnce(item: UploadItem, onProgress: (loaded: number, total: number) => void): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const form = new FormData();
    form.set('file', item.file, item.file.name);
    form.set('fileName', item.file.name);
    form.set('folder', item.folder);
    if (item.keepName) form.set('useUniqueFileName', 'false');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API}/api/v1/files/upload`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('X-CSRF-Token', getCsrfToken());
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : item.file.size);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, body: '' });
    xhr.send(form);
  });
}

/** Uploads with retries, reporting every change of the item. */
export async function upload(item: UploadItem, update: (item: UploadItem) => void): Promise<void> {
  let current: UploadItem = { ...item, state: 'uploading', error: undefined };
  update(current);
  for (;;) {
    current = { ...current, attempts: current.attempts + 1, loaded: 0 };
    const { status, body } = await sendOnce(current, (loaded, total) => {
      current = { ...current, loaded, total };
      update(current);
    });
    if (status >= 200 && status < 300) {
      const fileId = (JSON.parse(body) as { fileId?: string }).fileId;
      update((current = { ...current, state: 'done', loaded: current.total, fileId }));
      return;
    }
    const message = errorMessage(status, body);
    if (!retryable(status) || current.attempts >= MAX_ATTEMPTS) {
      update({ ...current, state: 'failed', error: message });
      return;
    }
    update((current = { ...current, state: 'retrying', error: message }));
    await new Promise((r) => setTimeout(r, 500 * 2 ** (current.attempts - 1)));
    update((current = { ...current, state: 'uploading' }));
  }
}

function errorMessage(status: number, body: string): string {
  if (status === 0) return 'network error';
  try {
    return (JSON.parse(body) as { message?: string }).message ?? `HTTP ${status}`;
  } catch {
    return `HTTP ${status}`;
  }
}
