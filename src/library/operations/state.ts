/** What every library operation works on: the tenant's stores, the clock, and the event outbox. */
import type { BlobLedger } from '../store/blobs';
import type { FileStore } from '../store/files';
import type { FolderStore } from '../store/folders';

export type LibraryEventType = 'file.created' | 'file.updated' | 'file.deleted' | 'file-version.created' | 'file-version.deleted';

export interface LibraryState {
  sql: SqlStorage;
  files: FileStore;
  folders: FolderStore;
  blobs: BlobLedger;
  now: number;
  /** Queues a webhook event in the same transaction as the change it reports. */
  emit(type: LibraryEventType, data: unknown): void;
}
