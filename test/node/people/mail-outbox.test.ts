import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailOutbox, startMailOutbox } from '../../../scripts/mail-outbox.mjs';
import { httpMailer } from '../../../src/mail/mailer';

let outbox: MailOutbox;
beforeAll(async () => {
  outbox = await startMailOutbox({ port: 0 });
});
afterAll(() => outbox.close());

describe('the local mail outbox', () => {
  it('takes the HTTP mail API and lists messages newest last, with an HTML view that shows text only', async () => {
    const mailer = httpMailer(`${outbox.url}/send`, 'edgepix <no-reply@edgepix.local>');
    await mailer.send({ to: 'a@example.com', subject: 'first', text: 'one', html: '<p>one</p>' });
    await mailer.send({ to: 'b@example.com', subject: 'second <b>', text: 'two', html: '<img src=x onerror=alert(1)>' });
    const messages = (await (await fetch(`${outbox.url}/messages`)).json()) as { to: string; subject: string; html: string; at: string }[];
    expect(messages.map((m) => m.subject)).toEqual(['first', 'second <b>']);
    expect(messages[1]).toMatchObject({ to: 'b@example.com', html: '<img src=x onerror=alert(1)>' });
    expect(Date.parse(messages[0]!.at)).toBeGreaterThan(0);
    const page = await fetch(`${outbox.url}/`);
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('second &lt;b&gt;');
    expect(html).not.toContain('onerror=alert');
  });

  it('answers a bad message with a 400 and the mailer turns it into a 502', async () => {
    const res = await fetch(`${outbox.url}/send`, { method: 'POST', body: '{"subject":"no recipient"}' });
    expect(res.status).toBe(400);
    const mailer = httpMailer(`${outbox.url}/nowhere`, 'x');
    await expect(mailer.send({ to: 'a@example.com', subject: 's', text: '', html: '' })).rejects.toMatchObject({ status: 502 });
  });
});
