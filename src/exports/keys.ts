/** Where an export's archives live in the tenant's bucket (src/storage/media.ts), under the tenant's prefix. */

export const exportPrefix = (tenantId: string, exportId: string) => `exports/${tenantId}/${exportId}/`;
export const tenantExportsPrefix = (tenantId: string) => `exports/${tenantId}/`;

export const MANIFEST_NAME = 'manifest.json';
export const partName = (n: number) => `part-${String(n).padStart(4, '0')}.zip`;

/** The names a download link may ask for: a part or the manifest. */
export const DOWNLOADABLE = /^(part-\d{4}\.zip|manifest\.json)$/;

/** The path of a zip entry for a file name from the library: never a folder climb or an absolute path. */
export function safeEntryName(name: string): string {
  const flat = name.replace(/[\\/\u0000]/g, '_');
  return flat === '' || flat === '.' || flat === '..' ? `_${flat}` : flat;
}
