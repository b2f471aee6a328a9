/** ImageKit's error answers of the media API, in one place. */
import { HttpError } from '../../http/errors';

export const fileNotFound = () => new HttpError(404, 'The requested file does not exist.', 'Check the fileId.');
export const versionNotFound = () => new HttpError(404, 'The requested file version does not exist.', 'List the versions with GET /v1/files/:fileId/versions.');
export const noFileAtPath = (path: string) => new HttpError(404, `No file found with filePath ${path}`, 'Check the path.');
export const noFolderAtPath = (path: string) => new HttpError(404, `No folder found with folderPath ${path}`, 'Check the path.');

export const fileExists = (path: string) =>
  new HttpError(409, `A file already exists at ${path}.`, 'Choose another name, or delete the existing file first.', {
    'x-should-retry': 'false',
  }, { reason: 'FILE_ALREADY_EXISTS' });

/** Bulk calls name every missing id and change nothing. */
export const missingFiles = (missingFileIds: string[]) =>
  new HttpError(404, 'The requested file(s) does not exist.', 'Every fileId must exist; nothing was changed.', {}, { missingFileIds });
