/** Users of the tenant: invite by email with a role, change roles, remove, end their sessions. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { can, type Session } from '../session';
import { ErrorBox, Field, inputValue, Section, useAction, useLoad } from '../ui/kit';

interface User {
  id: string;
  email: string;
  name: string | null;
  role: string;
  status: string;
  lastLoginAt?: string | null;
}

export const ROLES = ['owner', 'admin', 'developer', 'media_manager', 'viewer'];

export function Users({ session }: { session: Session }) {
  const canWrite = can(session.permissions, 'users', 'read_write');
  const users = useLoad(() => api<User[] | { users: User[] }>('GET', '/v1/accounts/users').then((r) => (Array.isArray(r) ? r : r.users)), []);
  const [invite, setInvite] = useState({ email: '', name: '', role: 'viewer' });
  const [sent, setSent] = useState<string | null>(null);
  const [act, error, busy] = useAction();
  const path = (u: User) => `/v1/accounts/users/${encodeURIComponent(u.id)}`;

  const submit = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      // A blank name is left to the server (the address's local part).
      await api('POST', '/v1/accounts/users', { email: invite.email, role: invite.role, ...(invite.name.trim() ? { name: invite.name.trim() } : {}) });
      setSent(invite.email);
      setInvite({ email: '', name: '', role: invite.role });
      users.reload();
    });
  };
  const changeRole = (u: User, role: string) => act(async () => (await api('PATCH', path(u), { role }), users.reload()));
  const remove = (u: User) => act(async () => (await api('DELETE', path(u)), users.reload()));
  const endSessions = (u: User) => act(async () => (await api('DELETE', `${path(u)}/sessions`), users.reload()));

  return (
    <Section title="Users">
      <ErrorBox error={users.error} />
      <table>
        <thead><tr><th>Email</th><th>Name</th><th>Role</th><th>Status</th><th>Last sign-in</th><th /></tr></thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id} data-user={u.email}>
              <td>{u.email}</td>
              <td>{u.name ?? '—'}</td>
              <td>
                {canWrite && u.id !== session.user.id ? (
                  <select value={u.role} onChange={(e) => changeRole(u, inputValue(e))} aria-label={`Role of ${u.email}`}>
                    {ROLES.map((r) => <option value={r}>{r}</option>)}
                  </select>
                ) : (
                  u.role
                )}
              </td>
              <td>{u.status}</td>
              <td>{u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString() : '—'}</td>
              <td>
                {canWrite && u.id !== session.user.id ? (
                  <>
                    <button class="link" disabled={busy} onClick={() => endSessions(u)} data-action="end-sessions">Sign out everywhere</button>
                    <button class="link danger" disabled={busy} onClick={() => remove(u)} data-action="remove-user">Remove</button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorBox error={error} />
      {sent ? <p class="ok" id="invite-sent">Invitation sent to {sent}.</p> : null}
      {canWrite ? (
        <form class="row" onSubmit={submit} id="invite-form">
          <Field label="Email"><input type="email" required name="email" value={invite.email} onInput={(e) => setInvite({ ...invite, email: inputValue(e) })} /></Field>
          <Field label="Name"><input name="name" value={invite.name} onInput={(e) => setInvite({ ...invite, name: inputValue(e) })} /></Field>
          <Field label="Role">
            <select name="role" value={invite.role} onChange={(e) => setInvite({ ...invite, role: inputValue(e) })}>
              {ROLES.filter((r) => r !== 'owner' || session.user.role === 'owner').map((r) => <option value={r}>{r}</option>)}
            </select>
          </Field>
          <button disabled={busy}>Invite</button>
        </form>
      ) : null}
    </Section>
  );
}
