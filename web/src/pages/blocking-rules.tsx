/**
 * Blocking rules: URLs the account refuses to deliver (path globs, transformation parameters, IP, country), each
 * with an optional expiry. Reading needs settings read, adding and deleting settings read_write.
 */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { can, type Session } from '../session';
import { ErrorBox, Field, inputValue, Section, useAction, useLoad } from '../ui/kit';

interface TransformationPattern {
  param: string;
  equals?: string;
  above?: number;
  below?: number;
}

export interface BlockingRule {
  id: string;
  path?: string;
  transformation?: TransformationPattern;
  ip?: string;
  country?: string;
  note: string;
  expiresAt: string | null;
  createdAt: string;
  active: boolean;
}

type Test = 'present' | 'equals' | 'above' | 'below';
const EXPIRIES: [label: string, seconds: number | null][] = [
  ['never', null],
  ['in 1 hour', 3600],
  ['in 1 day', 86_400],
  ['in 7 days', 7 * 86_400],
  ['in 30 days', 30 * 86_400],
];

const EMPTY = { path: '', param: '', test: 'present' as Test, value: '', ip: '', country: '', note: '', expiry: '0' };

/** The rule's conditions in a few words, as the table shows them. */
export function describeConditions(rule: BlockingRule): string {
  const parts: string[] = [];
  if (rule.path) parts.push(`path ${rule.path}`);
  const t = rule.transformation;
  if (t) {
    if (t.equals !== undefined) parts.push(`${t.param} = ${t.equals}`);
    else if (t.above !== undefined) parts.push(`${t.param} > ${t.above}`);
    else if (t.below !== undefined) parts.push(`${t.param} < ${t.below}`);
    else parts.push(`uses ${t.param}`);
  }
  if (rule.ip) parts.push(`IP ${rule.ip}`);
  if (rule.country) parts.push(`country ${rule.country}`);
  return parts.join(' and ');
}

/** The request body of the form: only the conditions filled in; the API says what is wrong with them. */
function bodyOf(form: typeof EMPTY): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (form.path.trim()) body.path = form.path.trim();
  if (form.param.trim()) {
    const pattern: Record<string, unknown> = { param: form.param.trim() };
    if (form.test === 'equals') pattern.equals = form.value;
    if (form.test === 'above' || form.test === 'below') pattern[form.test] = form.value.trim() === '' ? form.value : Number(form.value);
    body.transformation = pattern;
  }
  if (form.ip.trim()) body.ip = form.ip.trim();
  if (form.country.trim()) body.country = form.country.trim();
  if (form.note.trim()) body.note = form.note.trim();
  const seconds = EXPIRIES[Number(form.expiry)]?.[1];
  if (seconds) body.expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
  return body;
}

export function BlockingRules({ session }: { session: Session }) {
  const canWrite = can(session.permissions, 'settings', 'read_write');
  const rules = useLoad(() => api<BlockingRule[]>('GET', '/v1/accounts/blocking-rules'), []);
  const [form, setForm] = useState(EMPTY);
  const [act, error, busy] = useAction();
  const set = (key: keyof typeof EMPTY) => (e: Event) => setForm({ ...form, [key]: inputValue(e) });

  const submit = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      await api('POST', '/v1/accounts/blocking-rules', bodyOf(form));
      setForm(EMPTY);
      rules.reload();
    });
  };
  const remove = (rule: BlockingRule) => act(async () => (await api('DELETE', `/v1/accounts/blocking-rules/${encodeURIComponent(rule.id)}`), rules.reload()));

  return (
    <Section title="Blocking rules">
      <p class="hint">
        A request is refused (403, naming the rule) when all of a rule's conditions hold, before anything is fetched or
        decoded. Paths are globs over the file path: <code>*</code> within a folder, <code>**</code> any folders.
      </p>
      <ErrorBox error={rules.error} />
      <table id="blocking-rules">
        <thead>
          <tr><th>Rule</th><th>Blocks</th><th>Note</th><th>Expires</th><th /></tr>
        </thead>
        <tbody>
          {(rules.data ?? []).map((r) => (
            <tr key={r.id} data-rule={r.id} class={r.active ? '' : 'expired'}>
              <td><code>{r.id}</code></td>
              <td class="conditions">{describeConditions(r)}</td>
              <td>{r.note}</td>
              <td>{r.expiresAt ? `${new Date(r.expiresAt).toLocaleString()}${r.active ? '' : ' (expired)'}` : 'never'}</td>
              <td>{canWrite ? <button class="link danger" disabled={busy} onClick={() => remove(r)}>Delete</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rules.data?.length === 0 ? <p id="no-rules">No blocking rules.</p> : null}
      <ErrorBox error={error} />
      {canWrite ? (
        <form class="row" onSubmit={submit} id="rule-form">
          <Field label="Path glob"><input name="path" placeholder="private/**" value={form.path} onInput={set('path')} /></Field>
          <Field label="Parameter"><input name="param" placeholder="w" size={6} value={form.param} onInput={set('param')} /></Field>
          <Field label="Test">
            <select name="test" value={form.test} onChange={set('test')}>
              {(['present', 'equals', 'above', 'below'] as const).map((t) => <option value={t}>{t}</option>)}
            </select>
          </Field>
          <Field label="Value"><input name="value" size={8} value={form.value} disabled={form.test === 'present'} onInput={set('value')} /></Field>
          <Field label="IP or CIDR"><input name="ip" placeholder="203.0.113.0/24" value={form.ip} onInput={set('ip')} /></Field>
          <Field label="Country"><input name="country" placeholder="XX" size={3} value={form.country} onInput={set('country')} /></Field>
          <Field label="Note"><input name="note" value={form.note} onInput={set('note')} /></Field>
          <Field label="Expires">
            <select name="expiry" value={form.expiry} onChange={set('expiry')}>
              {EXPIRIES.map(([label], i) => <option value={String(i)}>{label}</option>)}
            </select>
          </Field>
          <button disabled={busy}>Add rule</button>
        </form>
      ) : null}
    </Section>
  );
}
