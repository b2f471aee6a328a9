/** What every library operation works on: the tenant's stores, the clock, and the event outbox. */
import type { LibraryEvent } from '../events';
import type { BlobLedger } from '../store/blobs';
import type { CustomFieldStore } from '../store/custom-fields';
import type { FileStore } from '../store/files';
import type { FolderStore } from '../store/folders';


export interface LibraryState {
  sql: SqlStorage;
  files: FileStore;
  folders: FolderStore;
  blobs: BlobLedger;
  fields: CustomFieldStore;
  now: number;
  /** Queues a webhook event in the same transaction as the change it reports. */
  emit(event: LibraryEvent): void;
}
