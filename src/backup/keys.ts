/**
 * Where the mirror puts things in the tenant's bucket, under their prefix. Three trees, so no file path of the
 * library can collide with the others whatever its folder names are:
 *
 *   <prefix>/files/<path>                       the current version's bytes, folders as in the library
 *   <prefix>/records/<path>.json                the file record (sidecar) of the file at <path>
 *   <prefix>/versions/<fileId>/<versionId>      every version's bytes (the current one included)
 *   <prefix>/versions/<fileId>/<versionId>.json the version's record
 *
 * <path> is the library path without its leading slash (`/a/b/photo.jpg` → `a/b/photo.jpg`).
 */

export const under = (prefix: string, key: string) => (prefix ? `${prefix}/${key}` : key);
const relative = (path: string) => path.replace(/^\/+/, '');

export const currentKey = (prefix: string, path: string) => under(prefix, `files/${relative(path)}`);
export const recordKey = (prefix: string, path: string) => under(prefix, `records/${relative(path)}.json`);
export const versionsFolder = (prefix: string, fileId: string) => under(prefix, `versions/${fileId}/`);
export const versionKey = (prefix: string, fileId: string, versionId: string) => under(prefix, `versions/${fileId}/${versionId}`);
export const versionRecordKey = (prefix: string, fileId: string, versionId: string) => `${versionKey(prefix, fileId, versionId)}.json`;
/** The object "test connection" writes, reads and deletes. */
export const probeKey = (prefix: string) => under(prefix, `.edgepix-probe-${crypto.randomUUID()}`);
