/**
 * Tells the tenant that backup started failing, once per failing streak (the streak ends with the next change
 * mirrored): the library queues a `backup.failed` webhook event, and this mails the tenant's owners and admins.
 */
import { accountsOf } from '../people/client';
import type { Env } from '../env';
import { mailerFor } from '../mail/mailer';
import { backupFailedMail } from '../mail/messages';
import type { BackupFailure } from '../library/store/backup';

/** Who is told: the people who may change the backup settings. */
const RECIPIENT_ROLES = new Set(['owner', 'admin']);

export async function mailBackupFailure(env: Env, tenant: string, failure: BackupFailure): Promise<number> {
  const users = await accountsOf(env, tenant).listUsers();
  const recipients = users.filter((u) => RECIPIENT_ROLES.has(u.role) && u.status === 'active');
  const mailer = mailerFor(env);
  let sent = 0;
  for (const user of recipients) {
    try {
      await mailer.send(backupFailedMail(user.email, tenant, `${failure.step}: ${failure.reason}`));
      sent++;
    } catch (error) {
      // The webhook event and the status still tell; a mail that cannot go does not stop the mirror.
      console.error('backup: the failure mail could not be sent', error);
    }
  }
  return sent;
}
