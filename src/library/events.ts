/**
 * What the library tells a tenant's webhook about. Events are recorded with the records as they were at the
 * change, in the change's own transaction; they become ImageKit-shaped payloads only when sent, because the
 * URLs in them need the deployment's URL endpoint, which the tenant's config holds.
 */
import { apiFile, type FileRecord, type UrlEndpoint, type VersionRecord } from './records';

export type LibraryEvent =
  | { type: 'file.created' | 'file.updated'; file: FileRecord }
  /** `path`: where the file was (backup deletes its copy there; not part of the webhook payload). */
  | { type: 'file.deleted'; fileId: string; path?: string }
  | { type: 'file-version.created'; file: FileRecord; version: VersionRecord }
  | { type: 'file-version.deleted'; fileId: string; versionId: string }
  /** A transcoding job's progress (src/video/jobs/events.ts): the payload is already in ImageKit's shape. */
  | { type: 'video.transformation.accepted' | 'video.transformation.ready' | 'video.transformation.error'; payload: unknown }
  /** Backup to the tenant's bucket started failing, or works again (src/backup/): the payload is the whole `data`. */
  | { type: 'backup.failed' | 'backup.recovered'; payload: unknown }
  /** An alert (src/insight/alert-events.ts): the payload is the body's `data`, wrapped as `{ data }`. */
  | { type: 'alert.traffic_anomaly' | 'alert.usage_threshold'; payload: unknown };

/** The `data` of the webhook payload for an event. */
export function eventData(event: LibraryEvent, endpoint: UrlEndpoint): unknown {
  switch (event.type) {
    case 'file.created':
    case 'file.updated':
      return apiFile(endpoint, event.file);
    case 'file.deleted':
      return { fileId: event.fileId };
    case 'file-version.created':
      return apiFile(endpoint, event.file, event.version);
    case 'file-version.deleted':
      return { fileId: event.fileId, versionId: event.versionId };
    case 'video.transformation.accepted':
    case 'video.transformation.ready':
    case 'video.transformation.error':
    case 'backup.failed':
    case 'backup.recovered':
    case 'alert.traffic_anomaly':
    case 'alert.usage_threshold':
      return event.payload;
  }
}
