/**
 * One way to send mail, three ways it leaves: the `send_email` binding (production on Cloudflare), an HTTP mail
 * API (any provider or relay that takes JSON; locally the catcher in scripts/mail-outbox.mjs, whose outbox the
 * developer and the tests read). MAIL_API_URL wins when both are set, so local runs never try the binding.
 */
import type { Env } from '../env';
import { HttpError } from '../http/errors';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

const DEFAULT_FROM = 'edgepix <no-reply@edgepix.local>';

export function mailerFor(env: Pick<Env, 'EMAIL' | 'MAIL_API_URL' | 'MAIL_FROM'>): Mailer {
  const from = env.MAIL_FROM || DEFAULT_FROM;
  if (env.MAIL_API_URL) return httpMailer(env.MAIL_API_URL, from);
  if (env.EMAIL) return bindingMailer(env.EMAIL, from);
  return {
    async send() {
      throw new HttpError(503, 'Mail is not configured', 'Bind send_email as EMAIL or set MAIL_API_URL (see the README).');
    },
  };
}

export function bindingMailer(binding: NonNullable<Env['EMAIL']>, from: string): Mailer {
  return {
    async send(message) {
      await binding.send({ from, ...message });
    },
  };
}

/** The mail API is the operator's own configuration (a var), not a tenant's URL: no SSRF guard applies. */
export function httpMailer(url: string, from: string, fetcher: typeof fetch = fetch): Mailer {
  return {
    async send(message) {
      const response = await fetcher(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ from, ...message }),
      });
      await response.body?.cancel();
      if (!response.ok) {
        console.error(`mail API answered ${response.status}`);
        throw new HttpError(502, 'The mail could not be sent', 'Retry later.');
      }
    },
  };
}
