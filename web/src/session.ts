/** The signed-in user as the session routes describe it, and what their role may do. */
export type Level = 'none' | 'read' | 'read_write';
export type Area = 'files' | 'settings' | 'audit' | 'users';
export type Permissions = Partial<Record<Area, Level>>;

export interface Session {
  user: { id: string; email: string; name: string; role: string };
  tenant: string;
  permissions: Permissions;
  csrfToken: string;
}

/** Hides what the role cannot do; the server refuses it anyway. */
export function can(permissions: Permissions, area: Area, level: Exclude<Level, 'none'>): boolean {
  const held = permissions[area] ?? 'none';
  return level === 'read' ? held !== 'none' : held === 'read_write';
}
