/** The numbers of the sign-in model, in one place (the README's security model quotes them). */
export const CODE_DIGITS = 6;
export const CODE_TTL_MS = 10 * 60_000;
/** Wrong codes one challenge takes before it is void. */
export const CODE_MAX_ATTEMPTS = 5;
/** Consecutive failures (passwords or codes) that lock a user, and for how long; a notice is emailed. */
export const LOCK_POLICY = { maxFailures: 5, lockMs: 15 * 60_000 };
/** Sign-in attempts (passwords, codes, reset requests) one IP may make on one tenant. */
export const IP_ATTEMPTS = { limit: 30, intervalMs: 15 * 60_000 };
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
export const INVITE_TTL_MS = 7 * 24 * 3600_000;
export const RESET_TTL_MS = 60 * 60_000;
export const SSO_FLOW_TTL_MS = 10 * 60_000;
