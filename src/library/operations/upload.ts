/**
 * Committing an upload whose bytes are already in R2 (reserved in the blob ledger): a new file, or a new
 * version of the file at that path, following ImageKit's useUniqueFileName / overwrite* rules.
 */
import { HttpError } from '../../http/errors';
import { applyDefaults, validateCustomMetadataValues } from '../custom-metadata';
import { checkTags } from '../field-rules';
import { nameSuffix, newId } from '../ids';
import { filePath, uniqueName } from '../paths';
import type { FileAttributes, FileRecord, MediaInfo } from '../records';
import { fileExists } from './errors';
import type { LibraryState } from './state';
import { addCurrentVersion, newVersion } from './versions';

export interface UploadCommit {
  folder: string;
  name: string;
  useUniqueFileName: boolean;
  overwriteFile: boolean;
  overwriteTags: boolean;
  overwriteCustomMetadata: boolean;
  overwriteAITags: boolean;
  attributes: FileAttributes;
  blob: string;
  media: MediaInfo;
}

const MAX_UNIQUE_ATTEMPTS = 5;

export function commitUpload(state: LibraryState, input: UploadCommit): FileRecord {
  state.blobs.assertCommittable(input.blob, state.now);
  state.folders.ensure(input.folder, state.now);
  const path = input.useUniqueFileName ? freePath(state, input.folder, input.name) : filePath(input.folder, input.name);
  const existing = state.files.byPath(path);
  if (existing && !input.overwriteFile) throw fileExists(path);
  const fields = state.fields.active();
  const customMetadata = validateCustomMetadataValues(input.attributes.customMetadata, fields, { partial: false });
  const checked = { ...input, attributes: { ...input.attributes, customMetadata } };
  if (!existing) {
    checked.attributes.customMetadata = applyDefaults(customMetadata, fields);
    return createFile(state, path, checked);
  }
  return overwrite(state, existing, checked);
}

function freePath(state: LibraryState, folder: string, name: string): string {
  for (let i = 0; i < MAX_UNIQUE_ATTEMPTS; i++) {
    const path = filePath(folder, uniqueName(name, nameSuffix()));
    if (!state.files.byPath(path)) return path;
  }
  throw new HttpError(503, 'Could not find a free unique file name', 'Retry the upload.', { 'Retry-After': '1' });
}

function createFile(state: LibraryState, path: string, input: UploadCommit): FileRecord {
  const id = newId();
  const name = path.slice(input.folder.length);
  // ImageKit: the first version's id is the file's id.
  const version = newVersion(state, { id, path, name }, input, input.attributes, id);
  version.number = 1;
  state.files.insertVersion(version);
  const file: FileRecord = {
    ...input.attributes,
    id,
    path,
    folder: input.folder,
    name,
    aiTags: null,
    createdAt: state.now,
    updatedAt: state.now,
    version,
  };
  state.files.saveFile(file);
  state.emit({ type: 'file.created', file });
  return file;
}

/** A new version of an existing file; attributes the request leaves out are kept only when told not to overwrite. */
function overwrite(state: LibraryState, existing: FileRecord, input: UploadCommit): FileRecord {
  const given = input.attributes;
  const attributes: FileAttributes = {
    ...given,
    tags: input.overwriteTags ? given.tags : checkTags([...existing.tags, ...given.tags], 'tags'),
    customMetadata: input.overwriteCustomMetadata
      ? applyDefaults(given.customMetadata, state.fields.active())
      : { ...existing.customMetadata, ...given.customMetadata },
  };
  const file: FileRecord = { ...existing, ...attributes, aiTags: input.overwriteAITags ? null : existing.aiTags };
  const version = newVersion(state, file, input, attributes);
  const updated = addCurrentVersion(state, file, version);
  state.emit({ type: 'file.updated', file: updated });
  return updated;
}
