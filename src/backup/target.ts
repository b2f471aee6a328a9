/** The bucket a tenant's stored settings name, with its keys decrypted (only where a request to it is made). */
import type { Env } from '../env';
import { decryptSecret } from '../security/crypto';
import { BackupBucket } from './bucket';
import type { MirrorTarget } from './mirror';
import type { StoredBackup } from './settings';

export async function targetOf(env: Env, tenant: string, settings: StoredBackup): Promise<MirrorTarget> {
  const [accessKeyId, secretAccessKey] = await Promise.all([
    decryptSecret(env.MASTER_KEY, settings.accessKeyCiphertext, tenant),
    decryptSecret(env.MASTER_KEY, settings.secretKeyCiphertext, tenant),
  ]);
  return { bucket: new BackupBucket(settings, { accessKeyId, secretAccessKey }, env), prefix: settings.prefix, deletes: settings.deletes };
}
