/**
 * The SQLite schema of a tenant's MediaLibrary Durable Object. Migrations run in order, once each, tracked in
 * `meta.schema_version`; add a migration at the end, never edit one that shipped.
 *
 * Paths: a file's `path` is its whole filePath (`/a/b/photo.jpg`); `folder` is its parent with both slashes
 * (`/a/b/`, `/` for the root). Times are milliseconds since the epoch. Lists (tags) and objects (custom
 * metadata, embedded metadata) are JSON text so SQLite's json functions can search them.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  -- Bytes live in R2 under library/<tenant>/<sha256>; one blob can back many versions (copies share it).
  -- A blob with no version and an expired reservation is an orphan: the sweep deletes its bytes, then the row.
  CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    reserved_until INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE files (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    current_version TEXT NOT NULL,
    is_private INTEGER NOT NULL,
    is_published INTEGER NOT NULL,
    tags TEXT NOT NULL,                 -- JSON array of strings
    ai_tags TEXT,                       -- JSON array of {name, confidence, source}, or NULL
    custom_coordinates TEXT,
    custom_metadata TEXT NOT NULL,      -- JSON object
    description TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX files_folder ON files (folder);
  CREATE INDEX files_created ON files (created_at);

  -- Every version of every file, the current one included. Attributes of the file as they were when the
  -- version was made are kept with it (tags, custom metadata, ...), so a version reads back as it was.
  CREATE TABLE versions (
    id TEXT PRIMARY KEY,
    file_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    blob TEXT NOT NULL REFERENCES blobs (hash),
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    format TEXT NOT NULL,               -- jpg, png, webp, avif, gif, svg, pdf, mp4, ... ('' when unknown)
    file_type TEXT NOT NULL,            -- image | non-image
    width INTEGER,
    height INTEGER,
    has_alpha INTEGER,
    embedded_metadata TEXT NOT NULL,    -- JSON object
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    tags TEXT NOT NULL,
    custom_coordinates TEXT,
    custom_metadata TEXT NOT NULL,
    description TEXT,
    is_private INTEGER NOT NULL,
    is_published INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX versions_file ON versions (file_id, number);
  CREATE INDEX versions_blob ON versions (blob);

  CREATE TABLE folders (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,          -- /a/b/
    parent TEXT NOT NULL,               -- /a/
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  -- Everything search can see, one row per asset: current files, older versions and folders.
  CREATE VIEW assets AS
    SELECT 'file' AS type, f.id AS id, f.id AS file_id, v.id AS version_id, f.name, f.path, f.folder,
           f.tags, f.ai_tags, f.custom_metadata, v.embedded_metadata, v.width, v.height, v.size, v.format,
           v.file_type, v.mime, f.is_private, f.is_published, v.has_alpha, f.created_at, f.updated_at
    FROM files f JOIN versions v ON v.id = f.current_version
    UNION ALL
    SELECT 'file-version', v.id, v.file_id, v.id, v.name, v.path, f.folder,
           v.tags, NULL, v.custom_metadata, v.embedded_metadata, v.width, v.height, v.size, v.format,
           v.file_type, v.mime, v.is_private, v.is_published, v.has_alpha, v.created_at, v.updated_at
    FROM versions v JOIN files f ON f.id = v.file_id AND v.id != f.current_version
    UNION ALL
    SELECT 'folder', d.id, NULL, NULL, d.name, d.path, d.parent,
           '[]', NULL, '{}', '{}', NULL, NULL, NULL, NULL,
           NULL, NULL, 0, 1, NULL, d.created_at, d.updated_at
    FROM folders d;

  -- A custom metadata field's name is never reused, even after it is deleted.
  CREATE TABLE custom_fields (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    schema TEXT NOT NULL,               -- JSON {type, ...}
    description TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  -- Client-side upload tokens (v1 token, v2 JWT id) seen before: a token works once, even if that upload failed.
  CREATE TABLE used_tokens (token TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);

  CREATE TABLE purges (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    status TEXT NOT NULL,               -- Pending | Completed
    created_at INTEGER NOT NULL,
    completed_at INTEGER
  );

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,                 -- COPY_FOLDER | MOVE_FOLDER | RENAME_FOLDER
    status TEXT NOT NULL,               -- Pending | Completed | Failed
    purge_request_id TEXT,
    error TEXT,
    created_at INTEGER NOT NULL
  );

  -- Bytes delivered per UTC day (YYYY-MM-DD), for /v1/accounts/usage.
  CREATE TABLE usage_days (day TEXT PRIMARY KEY, bandwidth_bytes INTEGER NOT NULL);

  -- Webhook events waiting to be delivered, retried with backoff by the object's alarm.
  CREATE TABLE webhook_outbox (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL
  );
  `,
  `
  -- Paths whose entry in the published index (src/library/published.ts) may no longer match the library.
  -- Triggers fill it in the transaction of every change that affects delivery, so no operation can forget to;
  -- the object publishes the paths and then deletes the rows (src/library/publisher.ts).
  CREATE TABLE delivery_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL);
  CREATE INDEX delivery_outbox_path ON delivery_outbox (path);

  -- Any change to a file row (new file, new current version, move, rename, publish, privacy, delete):
  -- a move changes what both its old and its new path deliver.
  CREATE TRIGGER files_inserted_for_delivery AFTER INSERT ON files BEGIN
    INSERT INTO delivery_outbox (path) VALUES (NEW.path);
  END;
  CREATE TRIGGER files_updated_for_delivery AFTER UPDATE ON files BEGIN
    INSERT INTO delivery_outbox (path) VALUES (NEW.path);
    INSERT INTO delivery_outbox (path) SELECT OLD.path WHERE OLD.path != NEW.path;
  END;
  CREATE TRIGGER files_deleted_for_delivery AFTER DELETE ON files BEGIN
    INSERT INTO delivery_outbox (path) VALUES (OLD.path);
  END;

  -- The current version's columns a delivery record is made of (the record's privacy and time are the version's).
  CREATE TRIGGER versions_updated_for_delivery
  AFTER UPDATE OF is_private, is_published, blob, size, mime, updated_at ON versions BEGIN
    INSERT INTO delivery_outbox (path) SELECT path FROM files WHERE id = NEW.file_id AND current_version = NEW.id;
  END;

  -- A library from before the index publishes every file it has.
  INSERT INTO delivery_outbox (path) SELECT path FROM files;
  `,
  `
  -- A video's properties (duration, codecs, bit rate) as the video Worker read them on upload: JSON, or NULL.
  ALTER TABLE versions ADD COLUMN video TEXT;
  `,
  `
  -- Backup to the tenant's own bucket (src/backup/). The settings, one row; the keys are ciphertexts.
  CREATE TABLE backup_settings (id INTEGER PRIMARY KEY CHECK (id = 1), config TEXT NOT NULL);

  -- Changes waiting to be mirrored, written in the transaction of the change itself (the outbox), sent to the
  -- backup queue once they may go: a row waits for every earlier row of its file and of the paths it touches.
  -- A row is deleted when its change is in the bucket. Its blob is kept from the orphan sweep until then.
  CREATE TABLE backup_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id TEXT NOT NULL,
    path TEXT NOT NULL,
    prev_path TEXT,
    blob TEXT,
    change TEXT NOT NULL,               -- JSON BackupChange
    created_at INTEGER NOT NULL,
    sent_at INTEGER,                    -- NULL: not on the queue
    attempt_after INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX backup_outbox_file ON backup_outbox (file_id, seq);
  CREATE INDEX backup_outbox_path ON backup_outbox (path, seq);
  CREATE INDEX backup_outbox_prev_path ON backup_outbox (prev_path, seq);
  CREATE INDEX backup_outbox_blob ON backup_outbox (blob);
  CREATE INDEX backup_outbox_sent ON backup_outbox (sent_at, attempt_after);

  -- Each file's path and current version as of the newest row recorded for it: the "before" of the next change.
  CREATE TABLE backup_files (file_id TEXT PRIMARY KEY, path TEXT NOT NULL, version_id TEXT NOT NULL);

  -- The latest failures (bounded), for the status API.
  CREATE TABLE backup_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    seq INTEGER,
    file_id TEXT,
    op TEXT,
    step TEXT NOT NULL,
    reason TEXT NOT NULL
  );

  -- Counters and progress: last_mirrored_at, last_lag_ms, failing_since, backfill (JSON).
  CREATE TABLE backup_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  `
  -- Usage thresholds and quotas count transformations made and seconds of video transcoded, per UTC day.
  ALTER TABLE usage_days ADD COLUMN transformations INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE usage_days ADD COLUMN video_seconds REAL NOT NULL DEFAULT 0;
  `,
];
