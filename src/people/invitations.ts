/**
 * Invitations: a user record in `invited` state and an emailed single-use link to the dashboard, where the
 * invitee sets a password (`POST /app/api/auth/accept-invite`). Used by the users API and the operator API.
 */
import type { ClientInfo, Actor } from '../audit/actor';
import { recordAudit } from '../audit/record';
import type { UserRecord } from '../durable/accounts';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { invitationMail } from '../mail/messages';
import { mailerFor } from '../mail/mailer';
import { randomToken } from '../security/crypto';
import { accountsOf } from './client';
import { INVITE_TTL_MS } from './policy';
import type { Role } from './roles';
import { newTenantToken, tokenDigest } from './tokens';

/** Where links in mails lead: the dashboard's pages `/app/accept-invite` and `/app/reset` on the deployment's origin. */
export const dashboardLink = (origin: string, route: 'accept-invite' | 'reset', token: string) =>
  `${origin}/app/${route}?token=${encodeURIComponent(token)}`;

export interface Invitation {
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  /** The deployment's origin, for the link. */
  origin: string;
  actor: Actor;
  client: ClientInfo;
}

export async function inviteUser(env: Env, invitation: Invitation): Promise<UserRecord> {
  const accounts = accountsOf(env, invitation.tenantId);
  const user = await accounts.createUser({
    id: `usr_${randomToken(9)}`,
    email: invitation.email,
    name: invitation.name,
    role: invitation.role,
    status: 'invited',
  });
  if (!user) throw new HttpError(409, `A user with the email ${invitation.email} already exists`, 'Change their role with PATCH /v1/accounts/users/:id instead.');
  const token = newTenantToken(invitation.tenantId);
  await accounts.issueToken(await tokenDigest(token), 'invite', user.id, Date.now() + INVITE_TTL_MS);
  const link = dashboardLink(invitation.origin, 'accept-invite', token);
  await mailerFor(env).send(invitationMail(user.email, invitation.tenantId, link, INVITE_TTL_MS / 3600_000));
  await recordAudit(env, invitation.tenantId, {
    actor: invitation.actor,
    client: invitation.client,
    action: 'user.invite',
    target: `user:${user.id}`,
    after: describeUser(user),
  });
  return user;
}

/** A user as the API shows them. */
export function describeUser(user: UserRecord) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastLoginAt: user.lastLoginAt,
  };
}
