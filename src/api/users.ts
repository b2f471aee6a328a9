/**
 * `/v1/accounts/users`: a tenant's people. Inviting emails a single-use link; a role change applies on the
 * user's next request; disabling or removing a user ends their sessions. Nobody hands out more than they hold,
 * only owners (or a key holding every permission) make, change or remove owners, and the last active owner stays.
 */
import type { IRequest, RouterType } from 'itty-router';
import { recordAudit } from '../audit/record';
import type { UserRecord } from '../durable/accounts';
import type { Env } from '../env';
import { HttpError } from '../http/errors';
import { accountsOf } from '../people/client';
import { displayName, email, role as roleField } from '../people/fields';
import { describeUser, inviteUser } from '../people/invitations';
import { erasePersonalData, personalData, userRef } from '../people/personal-data';
import { ROLE_PERMISSIONS, type Role } from '../people/roles';
import { exceedingArea, FULL_ACCESS, PERMISSION_AREAS, holds, levelOf } from '../security/keys';
import { badField, checkField, oneOf } from '../validate/fields';
import { readJsonObject } from './body';
import type { ApiContext } from './context';
import { json, noContent } from './respond';
import { accessRoute } from './tenant-route';

const PATCHABLE = ['name', 'role', 'status'] as const;

export function registerUserRoutes(router: RouterType<IRequest, [Env, ExecutionContext]>): void {
  router.get('/v1/accounts/users', accessRoute('users', 'read', async (ctx) => json((await accountsOf(ctx.env, ctx.tenant.id).listUsers()).map(describeUser))));
  router.post('/v1/accounts/users', accessRoute('users', 'read_write', invite));
  router.patch('/v1/accounts/users/:id', accessRoute('users', 'read_write', update));
  router.delete('/v1/accounts/users/:id', accessRoute('users', 'read_write', remove));
  router.get('/v1/accounts/users/:id/sessions', accessRoute('users', 'read', listSessions));
  router.delete('/v1/accounts/users/:id/sessions', accessRoute('users', 'read_write', endSessions));
  router.get('/v1/accounts/users/:id/personal-data', accessRoute('users', 'read', exportPersonal));
  router.delete('/v1/accounts/users/:id/personal-data', accessRoute('users', 'read_write', erasePersonal));
}

/** 403 unless the caller may hand out `role`: no more than it holds, and owners only by owners. */
function mayAssign(ctx: ApiContext, role: Role): void {
  const over = exceedingArea(ROLE_PERMISSIONS[role], ctx.permissions);
  if (over) throw new HttpError(403, `You cannot give the role "${role}": it holds ${levelOf(ROLE_PERMISSIONS[role], over)} on ${over}, more than you.`, 'Ask an owner.');
  if (role === 'owner') mayManageOwners(ctx);
}

function mayManageOwners(ctx: ApiContext): void {
  const isOwner = ctx.user ? ctx.user.role === 'owner' : PERMISSION_AREAS.every((area) => holds(ctx.permissions, area, levelOf(FULL_ACCESS, area)));
  if (!isOwner) throw new HttpError(403, 'Only an owner can make, change or remove an owner', 'Ask an owner of the account.');
}

async function invite(ctx: ApiContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const address = checkField(body, 'email', email);
  const name = body.name === undefined ? address.split('@')[0]! : checkField(body, 'name', displayName);
  const role = checkField(body, 'role', roleField);
  mayAssign(ctx, role);
  const user = await inviteUser(ctx.env, {
    tenantId: ctx.tenant.id,
    email: address,
    name,
    role,
    origin: new URL(ctx.request.url).origin,
    actor: ctx.actor,
    client: ctx.client,
  });
  return json(describeUser(user), 201);
}

async function target(ctx: ApiContext, id: string): Promise<UserRecord> {
  const user = await accountsOf(ctx.env, ctx.tenant.id).user(id);
  if (!user) throw new HttpError(404, `User "${id}" not found`, 'List users with GET /v1/accounts/users.');
  return user;
}

const lastOwner = () => new HttpError(409, 'The last active owner cannot be removed, disabled or demoted', 'Make another user an owner first.');

async function update(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  for (const key of Object.keys(body)) oneOf(PATCHABLE)(key, key);
  const patch: { name?: string; role?: Role; status?: 'active' | 'disabled' } = {};
  if (body.name !== undefined) patch.name = checkField(body, 'name', displayName);
  if (body.role !== undefined) patch.role = checkField(body, 'role', roleField);
  if (body.status !== undefined) {
    if (body.status !== 'active' && body.status !== 'disabled') throw badField('status', '"active" or "disabled"');
    patch.status = body.status;
  }
  const current = await target(ctx, params.id!);
  if (current.role === 'owner') mayManageOwners(ctx);
  if (patch.role) mayAssign(ctx, patch.role);
  // An invited user becomes active by accepting the invitation, not by an edit.
  if (patch.status === 'active' && current.status === 'invited') delete patch.status;
  const outcome = await accountsOf(ctx.env, ctx.tenant.id).updateUser(current.id, patch);
  if (outcome === 'not-found') throw new HttpError(404, `User "${params.id}" not found`, 'List users with GET /v1/accounts/users.');
  if (outcome === 'last-owner') throw lastOwner();
  const { before, after } = outcome;
  const action = before.role !== after.role ? 'user.role-change' : before.status !== after.status ? `user.${after.status === 'disabled' ? 'disable' : 'enable'}` : 'user.update';
  await recordAudit(ctx.env, ctx.tenant.id, { actor: ctx.actor, client: ctx.client, action, target: `user:${after.id}`, before: describeUser(before), after: describeUser(after) });
  return json(describeUser(after));
}

async function remove(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const current = await target(ctx, params.id!);
  if (current.role === 'owner') mayManageOwners(ctx);
  const outcome = await accountsOf(ctx.env, ctx.tenant.id).deleteUser(current.id);
  if (outcome === 'not-found') throw new HttpError(404, `User "${params.id}" not found`, 'List users with GET /v1/accounts/users.');
  if (outcome === 'last-owner') throw lastOwner();
  await recordAudit(ctx.env, ctx.tenant.id, { actor: ctx.actor, client: ctx.client, action: 'user.delete', target: `user:${current.id}`, before: describeUser(outcome) });
  return noContent();
}

async function listSessions(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const user = await target(ctx, params.id!);
  return json(await accountsOf(ctx.env, ctx.tenant.id).sessionsOf(user.id));
}

async function endSessions(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const user = await target(ctx, params.id!);
  const ended = await accountsOf(ctx.env, ctx.tenant.id).endSessionsOf(user.id);
  await recordAudit(ctx.env, ctx.tenant.id, { actor: ctx.actor, client: ctx.client, action: 'user.sessions-end', target: `user:${user.id}`, after: { sessionsEnded: ended } });
  return noContent();
}

const nothingStored = (id: string) => new HttpError(404, `Nothing is stored about user "${id}"`, 'List users with GET /v1/accounts/users.');

/** Everything stored about a person (GDPR access): account, sessions, the audit entries they made or were the target of. */
async function exportPersonal(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const data = await personalData(ctx.env, ctx.tenant.id, params.id!);
  if (!data) throw nothingStored(params.id!);
  await recordAudit(ctx.env, ctx.tenant.id, { actor: ctx.actor, client: ctx.client, action: 'user.personal-data.export', target: userRef(params.id!) });
  return json({ exportedAt: new Date().toISOString(), ...data });
}

/**
 * GDPR erasure: the account goes (as with DELETE /v1/accounts/users/:id) and the audit log keeps a pseudonym
 * instead of the user id, without their addresses. Works too for a user deleted before, whose id the log still holds.
 */
async function erasePersonal(ctx: ApiContext, params: Record<string, string>): Promise<Response> {
  const id = params.id!;
  const current = await accountsOf(ctx.env, ctx.tenant.id).user(id);
  if (current?.role === 'owner') mayManageOwners(ctx);
  if (!current && !(await personalData(ctx.env, ctx.tenant.id, id))) throw nothingStored(id);
  const audit = () => recordAudit(ctx.env, ctx.tenant.id, { actor: ctx.actor, client: ctx.client, action: 'user.erase', target: userRef(id) });
  const erasure = await erasePersonalData(ctx.env, ctx.tenant.id, id, audit);
  if (!erasure.ok) throw lastOwner();
  return json({ pseudonym: erasure.pseudonym, accountDeleted: erasure.erasedUser !== null, auditEntries: erasure.audit.entries, legacyAuditEntries: erasure.audit.legacyEntries });
}
