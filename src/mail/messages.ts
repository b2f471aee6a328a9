/** The mails edgepix sends people: plain text first, and the same words as simple HTML. */
import { escapeHtml } from '../http/html';
import type { MailMessage } from './mailer';

function message(to: string, subject: string, lines: string[], link?: string): MailMessage {
  const text = [...lines, ...(link ? ['', link] : [])].join('\n');
  const html = [
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`] : []),
  ].join('\n');
  return { to, subject, text, html };
}

export const invitationMail = (to: string, tenant: string, link: string, hours: number) =>
  message(
    to,
    `You are invited to ${tenant} on edgepix`,
    [`You have been invited to the "${tenant}" account on edgepix.`, `Open this link within ${hours} hours to choose your password (it works once):`],
    link,
  );

export const codeMail = (to: string, tenant: string, code: string, minutes: number) =>
  message(to, `Your edgepix sign-in code: ${code}`, [
    `Your code to sign in to "${tenant}" is ${code}.`,
    `It expires in ${minutes} minutes and works once. If you did not try to sign in, change your password.`,
  ]);

export const lockoutMail = (to: string, tenant: string, minutes: number) =>
  message(to, 'Your edgepix account was locked', [
    `After several failed sign-in attempts, your account on "${tenant}" is locked for ${minutes} minutes.`,
    'If this was not you, someone may know your password: reset it once the lock ends.',
  ]);

export const resetMail = (to: string, tenant: string, link: string, minutes: number) =>
  message(
    to,
    'Reset your edgepix password',
    [`Someone asked to reset your password on "${tenant}".`, `Open this link within ${minutes} minutes to choose a new one (it works once); if it was not you, ignore this mail:`],
    link,
  );

export const backupFailedMail = (to: string, tenant: string, reason: string) =>
  message(to, `edgepix backup of "${tenant}" is failing`, [
    `Changes to the media library of "${tenant}" can no longer be copied to your backup bucket.`,
    `The bucket answered: ${reason}`,
    'Nothing is lost: changes wait and are retried. Check the bucket and its keys (PUT /v1/accounts/backup, then POST /v1/accounts/backup/test); GET /v1/accounts/backup/status shows what waits.',
  ]);
/** An alert (src/insight/alert-events.ts): what happened, its numbers, and where to see the breakdown. */
export const alertMail = (to: string, tenant: string, title: string, lines: string[], link: string) =>
  message(to, `edgepix alert for ${tenant}: ${title}`, [`${title} on the "${tenant}" account.`, ...lines, 'The breakdown:'], link);
