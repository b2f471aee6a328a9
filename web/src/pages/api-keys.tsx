/** API keys: scoped per area, the private key shown once, rotation as a new key plus a delayed delete of the old. */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { can, type Level, type Session } from '../session';
import { ErrorBox, Field, inputValue, Section, useAction, useLoad } from '../ui/kit';

interface Key {
  id: string;
  name: string;
  publicKey: string;
  permissions: Record<string, Level>;
  createdAt: string;
  expiresAt: string | null;
  privateKey?: string;
}

const AREAS = ['files', 'settings', 'audit', 'users'] as const;
const LEVELS: Level[] = ['none', 'read', 'read_write'];
const ROTATION_DELAY_SECONDS = 86_400;

export function ApiKeys({ session }: { session: Session }) {
  const canWrite = can(session.permissions, 'settings', 'read_write');
  const keys = useLoad(() => api<Key[]>('GET', '/v1/accounts/api-keys'), []);
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<Record<string, Level>>({ files: 'read', settings: 'none', audit: 'none', users: 'none' });
  const [created, setCreated] = useState<Key | null>(null);
  const [act, error, busy] = useAction();

  const create = (body: { name: string; permissions: Record<string, Level> }) => api<Key>('POST', '/v1/accounts/api-keys', body);
  const submit = (e: Event) => {
    e.preventDefault();
    void act(async () => (setCreated(await create({ name, permissions })), setName(''), keys.reload()));
  };
  const rotate = (key: Key) =>
    act(async () => {
      const fresh = await create({ name: key.name, permissions: key.permissions });
      await api('DELETE', `/v1/accounts/api-keys/${encodeURIComponent(key.id)}?delaySeconds=${ROTATION_DELAY_SECONDS}`);
      setCreated(fresh);
      keys.reload();
    });
  const remove = (key: Key) => act(async () => (await api('DELETE', `/v1/accounts/api-keys/${encodeURIComponent(key.id)}`), keys.reload()));

  return (
    <Section title="API keys">
      <ErrorBox error={keys.error} />
      {created?.privateKey ? (
        <div class="once" id="new-key">
          <p>The private key of <strong>{created.name}</strong> is shown only now. Keep it in a secret store.</p>
          <code id="new-private-key">{created.privateKey}</code>
          <button onClick={() => void navigator.clipboard.writeText(created.privateKey!)}>Copy</button>
          <button class="link" onClick={() => setCreated(null)}>Done</button>
        </div>
      ) : null}
      <table>
        <thead>
          <tr><th>Name</th><th>Public key</th>{AREAS.map((a) => <th>{a}</th>)}<th>Expires</th><th /></tr>
        </thead>
        <tbody>
          {(keys.data ?? []).map((k) => (
            <tr key={k.id} data-key={k.name}>
              <td>{k.name}</td>
              <td><code>{k.publicKey}</code></td>
              {AREAS.map((a) => <td>{k.permissions[a] ?? 'none'}</td>)}
              <td>{k.expiresAt ? new Date(k.expiresAt).toLocaleString() : '—'}</td>
              <td>
                {canWrite ? (
                  <>
                    <button class="link" disabled={busy} onClick={() => rotate(k)} title="A new key now; this one keeps working for a day">Rotate</button>
                    <button class="link danger" disabled={busy} onClick={() => remove(k)}>Delete</button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorBox error={error} />
      {canWrite ? (
        <form class="row" onSubmit={submit} id="key-form">
          <Field label="Name"><input required name="name" value={name} onInput={(e) => setName(inputValue(e))} /></Field>
          {AREAS.map((area) => (
            <Field label={area}>
              <select name={area} value={permissions[area]} onChange={(e) => setPermissions({ ...permissions, [area]: inputValue(e) as Level })}>
                {LEVELS.map((l) => <option value={l}>{l}</option>)}
              </select>
            </Field>
          ))}
          <button disabled={busy}>Create key</button>
        </form>
      ) : null}
    </Section>
  );
}
