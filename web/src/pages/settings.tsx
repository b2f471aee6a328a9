/** Tenant settings: edge security, rate limits, limits, named transformations, origins, URL endpoints, webhook. */
import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api';
import type { FileRecord } from '../library/types';
import { withTransformation } from '../library/transformation';
import { can, type Session } from '../session';
import { ErrorBox, Field, inputChecked, inputValue, linesOf, Section, textOf, useAction, useLoad } from '../ui/kit';

interface Settings {
  restrictUnsignedUrls: boolean;
  restrictUnnamedTransformations: boolean;
  access: Record<'ipAllow' | 'ipBlock' | 'countryAllow' | 'countryBlock' | 'referrerAllow' | 'referrerBlock' | 'userAgentBlock', string[]>;
  rateLimit: { deliveryPerIpPerMinute: number | null; apiPerKeyPerMinute: number | null };
  limits: Record<string, number>;
}

const ACCESS_FIELDS: [keyof Settings['access'], string, string][] = [
  ['ipAllow', 'Allow IPs / CIDRs', '203.0.113.0/24'],
  ['ipBlock', 'Block IPs / CIDRs', '198.51.100.7'],
  ['countryAllow', 'Allow countries', 'DE'],
  ['countryBlock', 'Block countries', 'XX'],
  ['referrerAllow', 'Allow referrer hosts', 'shop.example'],
  ['referrerBlock', 'Block referrer hosts', 'hotlinker.example'],
  ['userAgentBlock', 'Block user agents (substring)', 'BadBot'],
];

export function SettingsPage({ session }: { session: Session }) {
  const canWrite = can(session.permissions, 'settings', 'read_write');
  const settings = useLoad(() => api<Settings>('GET', '/v1/accounts/settings'), []);
  return (
    <div class="settings">
      <ErrorBox error={settings.error} />
      {settings.data ? <SecurityAndLimits initial={settings.data} canWrite={canWrite} onSaved={settings.reload} /> : null}
      <NamedTransformations canWrite={canWrite} />
      <Origins canWrite={canWrite} />
      <UrlEndpoints canWrite={canWrite} />
      <Webhook canWrite={canWrite} />
    </div>
  );
}

function SecurityAndLimits({ initial, canWrite, onSaved }: { initial: Settings; canWrite: boolean; onSaved: () => void }) {
  const [draft, setDraft] = useState(initial);
  // The lists as typed (a trailing newline included); split into entries only when saved.
  const listTexts = (s: Settings) => Object.fromEntries(ACCESS_FIELDS.map(([key]) => [key, textOf(s.access[key])])) as Record<keyof Settings['access'], string>;
  const [lists, setLists] = useState(listTexts(initial));
  const [act, error, busy] = useAction();
  const [saved, setSaved] = useState(false);
  useEffect(() => (setDraft(initial), setLists(listTexts(initial))), [initial]);
  const save = () =>
    act(async () => {
      setSaved(false);
      const { restrictUnsignedUrls, restrictUnnamedTransformations, rateLimit, limits } = draft;
      const access = Object.fromEntries(ACCESS_FIELDS.map(([key]) => [key, linesOf(lists[key])]));
      await api('PATCH', '/v1/accounts/settings', { restrictUnsignedUrls, restrictUnnamedTransformations, access, rateLimit, limits });
      setSaved(true);
      onSaved();
    });
  const numberOrNull = (e: Event) => (inputValue(e) === '' ? null : Number(inputValue(e)));
  return (
    <>
      <Section title="Security rules">
        <label class="check">
          <input type="checkbox" name="restrictUnsignedUrls" disabled={!canWrite} checked={draft.restrictUnsignedUrls} onChange={(e) => setDraft({ ...draft, restrictUnsignedUrls: inputChecked(e) })} />
          Restrict unsigned URLs
        </label>
        <label class="check">
          <input type="checkbox" name="restrictUnnamedTransformations" disabled={!canWrite} checked={draft.restrictUnnamedTransformations} onChange={(e) => setDraft({ ...draft, restrictUnnamedTransformations: inputChecked(e) })} />
          Restrict unnamed transformations
        </label>
        <div class="columns">
          {ACCESS_FIELDS.map(([key, label, example]) => (
            <Field label={label} hint={`One per line, e.g. ${example}`}>
              <textarea name={key} rows={3} disabled={!canWrite} value={lists[key]} onInput={(e) => setLists({ ...lists, [key]: inputValue(e) })} />
            </Field>
          ))}
        </div>
      </Section>
      <Section title="Rate limits">
        <div class="row">
          <Field label="Delivery requests per IP per minute" hint="Empty: no limit">
            <input type="number" min={1} name="deliveryPerIpPerMinute" disabled={!canWrite} value={draft.rateLimit.deliveryPerIpPerMinute ?? ''} onInput={(e) => setDraft({ ...draft, rateLimit: { ...draft.rateLimit, deliveryPerIpPerMinute: numberOrNull(e) } })} />
          </Field>
          <Field label="API requests per key per minute" hint="Empty: no limit">
            <input type="number" min={1} name="apiPerKeyPerMinute" disabled={!canWrite} value={draft.rateLimit.apiPerKeyPerMinute ?? ''} onInput={(e) => setDraft({ ...draft, rateLimit: { ...draft.rateLimit, apiPerKeyPerMinute: numberOrNull(e) } })} />
          </Field>
        </div>
      </Section>
      <Section title="Limits">
        <div class="row">
          {Object.entries(draft.limits).map(([key, value]) => (
            <Field label={key}>
              <input type="number" name={key} disabled={!canWrite} value={value} onInput={(e) => setDraft({ ...draft, limits: { ...draft.limits, [key]: Number(inputValue(e)) } })} />
            </Field>
          ))}
        </div>
        <ErrorBox error={error} />
        {saved ? <p class="ok" id="settings-saved">Saved.</p> : null}
        {canWrite ? <button onClick={save} disabled={busy} id="save-settings">Save settings</button> : null}
      </Section>
    </>
  );
}

interface Named {
  id: string;
  name: string;
  transformation: string;
  description?: string;
  enabled?: boolean;
}

function NamedTransformations({ canWrite }: { canWrite: boolean }) {
  const list = useLoad(() => api<Named[]>('GET', '/v1/named-transformations'), []);
  // A public image: a private one would need a signature for any transformation but a named one.
  const sample = useLoad(() => api<FileRecord[]>('GET', `/v1/files${query({ fileType: 'image', searchQuery: 'private = false', limit: 1 })}`), []);
  const [form, setForm] = useState({ name: '', transformation: 'w-300,h-200', description: '' });
  const [act, error, busy] = useAction();
  const sampleUrl = sample.data?.[0]?.url;
  const create = (e: Event) => {
    e.preventDefault();
    void act(async () => (await api('POST', '/v1/named-transformations', form), setForm({ ...form, name: '' }), list.reload()));
  };
  const remove = (n: Named) => act(async () => (await api('DELETE', `/v1/named-transformations/${encodeURIComponent(n.id)}`), list.reload()));
  return (
    <Section title="Named transformations">
      <ErrorBox error={list.error} />
      <table>
        <tbody>
          {(list.data ?? []).map((n) => (
            <tr key={n.id} data-named={n.name}>
              <td><code>n-{n.name}</code></td>
              <td><code>{n.transformation}</code></td>
              <td>{n.description}</td>
              <td>{canWrite && n.name !== 'ik_ml_thumbnail' ? <button class="link danger" onClick={() => remove(n)}>Delete</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canWrite ? (
        <form class="row" onSubmit={create} id="named-form">
          <Field label="Name"><input name="name" required pattern="[A-Za-z0-9_]+" value={form.name} onInput={(e) => setForm({ ...form, name: inputValue(e) })} /></Field>
          <Field label="Transformation"><input name="transformation" required value={form.transformation} onInput={(e) => setForm({ ...form, transformation: inputValue(e) })} /></Field>
          <Field label="Description"><input name="description" value={form.description} onInput={(e) => setForm({ ...form, description: inputValue(e) })} /></Field>
          <button disabled={busy}>Add</button>
        </form>
      ) : null}
      <ErrorBox error={error} />
      {sampleUrl && form.transformation ? (
        <figure class="live-preview">
          <img src={withTransformation(sampleUrl, form.transformation)} alt="Preview of the transformation" id="named-preview" />
          <figcaption>Live preview on {sample.data![0]!.name}</figcaption>
        </figure>
      ) : null}
    </Section>
  );
}

interface Origin {
  id: string;
  name: string;
  type: string;
  bucket?: string;
  prefix?: string;
  endpoint?: string;
  baseUrl?: string;
}

const ORIGIN_TYPES = ['WEB_FOLDER', 'WEB_PROXY', 'S3', 'S3_COMPATIBLE'];

function Origins({ canWrite }: { canWrite: boolean }) {
  const list = useLoad(() => api<Origin[]>('GET', '/v1/accounts/origins'), []);
  const [form, setForm] = useState<Record<string, string>>({ type: 'WEB_FOLDER', name: '' });
  const [act, error, busy] = useAction();
  const set = (key: string) => (e: Event) => setForm({ ...form, [key]: inputValue(e) });
  const fields = form.type === 'WEB_FOLDER' ? ['baseUrl'] : form.type === 'WEB_PROXY' ? [] : form.type === 'S3' ? ['bucket', 'prefix', 'accessKey', 'secretKey'] : ['endpoint', 'bucket', 'prefix', 'accessKey', 'secretKey'];
  const create = (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = { type: form.type!, name: form.name! };
    for (const f of fields) if (form[f]) body[f] = form[f]!;
    void act(async () => (await api('POST', '/v1/accounts/origins', body), list.reload()));
  };
  const remove = (o: Origin) => act(async () => (await api('DELETE', `/v1/accounts/origins/${encodeURIComponent(o.id)}`), list.reload()));
  return (
    <Section title="Origins">
      <ErrorBox error={list.error} />
      <table>
        <tbody>
          {(list.data ?? []).map((o) => (
            <tr key={o.id}>
              <td>{o.name}</td>
              <td>{o.type}</td>
              <td><code>{o.id}</code></td>
              <td>{o.baseUrl ?? [o.endpoint, o.bucket, o.prefix].filter(Boolean).join(' / ')}</td>
              <td>{canWrite ? <button class="link danger" onClick={() => remove(o)}>Delete</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canWrite ? (
        <form class="row" onSubmit={create}>
          <Field label="Type">
            <select value={form.type} onChange={set('type')}>{ORIGIN_TYPES.map((t) => <option>{t}</option>)}</select>
          </Field>
          <Field label="Name"><input required value={form.name} onInput={set('name')} /></Field>
          {fields.map((f) => (
            <Field label={f}>{f === 'secretKey' ? <input type="password" value={form[f] ?? ''} onInput={set(f)} /> : <input value={form[f] ?? ''} onInput={set(f)} />}</Field>
          ))}
          <button disabled={busy}>Add origin</button>
        </form>
      ) : null}
      <ErrorBox error={error} />
    </Section>
  );
}

interface Endpoint {
  id: string;
  description: string;
  urlPrefix: string;
  origins: string[];
}

function UrlEndpoints({ canWrite }: { canWrite: boolean }) {
  const list = useLoad(() => api<Endpoint[]>('GET', '/v1/accounts/url-endpoints'), []);
  const [form, setForm] = useState({ description: '', urlPrefix: '', origins: '' });
  const [act, error, busy] = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    const origins = form.origins.split(',').map((s) => s.trim()).filter(Boolean);
    void act(async () => (await api('POST', '/v1/accounts/url-endpoints', { description: form.description, urlPrefix: form.urlPrefix, origins }), list.reload()));
  };
  const remove = (p: Endpoint) => act(async () => (await api('DELETE', `/v1/accounts/url-endpoints/${encodeURIComponent(p.id)}`), list.reload()));
  return (
    <Section title="URL endpoints">
      <ErrorBox error={list.error} />
      <table>
        <tbody>
          {(list.data ?? []).map((p) => (
            <tr key={p.id}>
              <td><code>/{p.urlPrefix}</code></td>
              <td>{p.description}</td>
              <td>{p.origins.join(' → ') || 'media library only'}</td>
              <td>{canWrite && p.id !== 'default' ? <button class="link danger" onClick={() => remove(p)}>Delete</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canWrite ? (
        <form class="row" onSubmit={create}>
          <Field label="URL prefix"><input required value={form.urlPrefix} onInput={(e) => setForm({ ...form, urlPrefix: inputValue(e) })} /></Field>
          <Field label="Description"><input value={form.description} onInput={(e) => setForm({ ...form, description: inputValue(e) })} /></Field>
          <Field label="Origin ids, in order"><input value={form.origins} onInput={(e) => setForm({ ...form, origins: inputValue(e) })} /></Field>
          <button disabled={busy}>Add endpoint</button>
        </form>
      ) : null}
      <ErrorBox error={error} />
    </Section>
  );
}

function Webhook({ canWrite }: { canWrite: boolean }) {
  const current = useLoad(() => api<{ url: string | null }>('GET', '/v1/accounts/webhook'), []);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [act, error, busy] = useAction();
  useEffect(() => setUrl(current.data?.url ?? ''), [current.data]);
  const save = (rotateSecret: boolean) =>
    act(async () => {
      const answer = await api<{ url: string; secret?: string }>('PUT', '/v1/accounts/webhook', { url, rotateSecret });
      setSecret(answer.secret ?? null);
      current.reload();
    });
  const remove = () => act(async () => (await api('DELETE', '/v1/accounts/webhook'), current.reload()));
  return (
    <Section title="Webhook">
      <ErrorBox error={current.error} />
      <Field label="URL" hint="file.created, file.updated, file.deleted, file-version.created, file-version.deleted">
        <input type="url" value={url} disabled={!canWrite} onInput={(e) => setUrl(inputValue(e))} />
      </Field>
      {secret ? <p class="once">Signing secret (shown once): <code>{secret}</code></p> : null}
      <ErrorBox error={error} />
      {canWrite ? (
        <div class="row">
          <button disabled={busy || !url} onClick={() => save(false)}>Save</button>
          <button disabled={busy || !url} class="secondary" onClick={() => save(true)}>Rotate secret</button>
          {current.data?.url ? <button class="danger" disabled={busy} onClick={remove}>Remove</button> : null}
        </div>
      ) : null}
    </Section>
  );
}
