/** What the browser tests' global setup hands to every test file. */
export interface E2eWorld {
  baseUrl: string;
  adminToken: string;
  browserWSEndpoint: string;
  /** The mail catcher (scripts/mail-outbox.mjs): `GET <mailUrl>/messages`. */
  mailUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eWorld;
  }
}
