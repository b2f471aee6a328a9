/**
 * The roles a tenant's users hold. Each is a set of permissions in the same areas and levels as API keys, so
 * every route checks a user exactly as it checks a key; a role is read on every request, so changing it takes
 * effect at once.
 */
import type { Permissions } from '../security/keys';

export const ROLES = ['owner', 'admin', 'developer', 'media_manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, Permissions> = {
  // Owners and admins differ in one thing only: who may make, change or remove an owner (src/api/users.ts).
  owner: { files: 'read_write', settings: 'read_write', audit: 'read', users: 'read_write' },
  admin: { files: 'read_write', settings: 'read_write', audit: 'read', users: 'read_write' },
  developer: { files: 'read_write', settings: 'read_write', audit: 'read', users: 'read' },
  media_manager: { files: 'read_write', settings: 'read', audit: 'none', users: 'read' },
  viewer: { files: 'read', settings: 'none', audit: 'none', users: 'none' },
};

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
