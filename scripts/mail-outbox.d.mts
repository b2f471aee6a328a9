// Types of mail-outbox.mjs, for the test configs that start it.
export interface CaughtMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  at: string;
}

export interface MailOutbox {
  url: string;
  port: number;
  messages: CaughtMail[];
  server: import('node:http').Server;
  close(): Promise<void>;
}

export function startMailOutbox(options?: { port?: number; host?: string }): Promise<MailOutbox>;
