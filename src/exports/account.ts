/**
 * The account half of an export, written into its first part: configuration without secrets, the custom
 * metadata schema, folders, users without password hashes, and the audit log with everything needed to check
 * its chain offline.
 */
import { auditLog } from '../audit/record';
import type { Env } from '../env';
import { libraryOf } from '../library/client';
import { accountsOf } from '../people/client';
import { describeUser } from '../people/invitations';
import { readTenantFresh } from '../tenants/store';
import type { ArchiveWriter } from './archive-writer';
import { publicConfig } from './redact';
import type { ExportRecord } from './types';
import { VERIFY_SCRIPT, VERIFY_SCRIPT_NAME } from './verify-script';

const AUDIT_PAGE = 500;

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function writeAccount(env: Env, record: ExportRecord, archive: ArchiveWriter): Promise<void> {
  const { tenantId } = record;
  const config = await readTenantFresh(env, tenantId);
  if (!config) throw new Error(`tenant ${tenantId} no longer exists`);
  const library = libraryOf(env, tenantId);
  await archive.addText('README.txt', readme(record));
  await archive.addText('account/config.json', pretty(publicConfig(config)));
  await archive.addText('account/custom-metadata-fields.json', pretty(await library.customFields(true)));
  await archive.addText('account/folders.json', pretty(await library.allFolders()));
  await archive.addText('account/users.json', pretty((await accountsOf(env, tenantId).listUsers()).map(describeUser)));
  await archive.addText(`account/${VERIFY_SCRIPT_NAME}`, VERIFY_SCRIPT);
  await writeAuditLog(env, tenantId, archive);
}

/** One JSON entry a line, a page at a time: a long log never sits in memory whole. */
function writeAuditLog(env: Env, tenantId: string, archive: ArchiveWriter): Promise<void> {
  const log = auditLog(env, tenantId);
  const encoder = new TextEncoder();
  async function* pages(): AsyncGenerator<Uint8Array> {
    let cursor: string | undefined;
    do {
      const page = await log.list({ limit: AUDIT_PAGE, cursor });
      yield encoder.encode(page.entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return archive.addPieces('account/audit-log.jsonl', pages(), { deflate: true });
}

function readme(record: ExportRecord): string {
  return `edgepix export ${record.id} of account "${record.tenantId}", started ${record.createdAt}.

account/config.json                 settings, named transformations, origins, URL endpoints, webhook, SSO,
                                    domains and API keys, without any secret or key material
account/custom-metadata-fields.json the custom metadata schema (deleted fields included)
account/folders.json                every folder
account/users.json                  users and roles (no password hashes)
account/audit-log.jsonl             the audit log, oldest first, one entry a line, with its hash chain
account/${VERIFY_SCRIPT_NAME}             node ${VERIFY_SCRIPT_NAME} audit-log.jsonl  (checks the chain offline)
library/<fileId>/file.json          a file's record and every version's record (tags, custom metadata, ...)
library/<fileId>/v<n>/<name>        the bytes of version n
part.json                           the files in this archive

A large library is split into parts (part-0001.zip, part-0002.zip, ...); manifest.json lists them with their
sizes and SHA-256. The account files are in the first part.
`;
}
