/** What the Worker mailed, read from the catcher as a person would read their inbox. */
import type { CaughtMail } from '../../scripts/mail-outbox.mjs';
import type { E2eWorld } from './provided';

/** The newest mail to `to` whose subject matches, after `since` (ISO time), waiting up to 10 s for it. */
export async function waitForMail(world: E2eWorld, to: string, subject: RegExp, since = ''): Promise<CaughtMail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = (await (await fetch(`${world.mailUrl}/messages`)).json()) as CaughtMail[];
    const found = messages.filter((m) => m.to === to && subject.test(m.subject) && m.at > since).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject} (outbox: ${messages.map((m) => `${m.to}: ${m.subject}`).join('; ')})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const linkIn = (mail: CaughtMail) => {
  const link = /https?:\/\/\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no link in "${mail.subject}"`);
  return link;
};

export const codeIn = (mail: CaughtMail) => {
  const code = /\b(\d{6,10})\b/.exec(mail.text)?.[1];
  if (!code) throw new Error(`no code in "${mail.subject}"`);
  return code;
};
