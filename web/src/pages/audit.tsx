/** The audit log, filtered and paged, and a check of its hash chain. */
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { ErrorBox, Field, inputValue, Section, useAction } from '../ui/kit';

interface Entry {
  id: string;
  at: string;
  actor: string;
  ip: string | null;
  country?: string | null;
  action: string;
  target: string;
  hash: string;
}

export function AuditLog() {
  const [filters, setFilters] = useState({ since: '', until: '', action: '' });
  const [entries, setEntries] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<{ ok: boolean; count: number; head?: string; brokenAt?: string } | null>(null);
  const [act, error, busy] = useAction();
  const iso = (local: string) => (local ? new Date(local).toISOString() : undefined);

  const load = (from: string | null) =>
    act(async () => {
      const page = await api<{ entries: Entry[]; nextCursor: string | null }>(
        'GET',
        `/v1/accounts/audit-logs${query({ since: iso(filters.since), until: iso(filters.until), action: filters.action, limit: 100, cursor: from })}`,
      );
      setEntries(from ? [...entries, ...page.entries] : page.entries);
      setCursor(page.nextCursor);
    });
  const verify = () => act(async () => setVerdict(await api('GET', '/v1/accounts/audit-logs/verify')));

  return (
    <Section title="Audit log" actions={<button onClick={verify} disabled={busy} id="verify-chain">Verify the chain</button>}>
      {verdict ? (
        <p class={verdict.ok ? 'ok' : 'error'} id="chain-verdict">
          {verdict.ok ? `Chain intact: ${verdict.count} entries, head ${verdict.head?.slice(0, 16)}…` : `Chain broken at entry ${verdict.brokenAt}`}
        </p>
      ) : null}
      <form class="row" onSubmit={(e) => (e.preventDefault(), void load(null))}>
        <Field label="Since"><input type="datetime-local" value={filters.since} onInput={(e) => setFilters({ ...filters, since: inputValue(e) })} /></Field>
        <Field label="Until"><input type="datetime-local" value={filters.until} onInput={(e) => setFilters({ ...filters, until: inputValue(e) })} /></Field>
        <Field label="Action"><input name="action" placeholder="file.delete" value={filters.action} onInput={(e) => setFilters({ ...filters, action: inputValue(e) })} /></Field>
        <button disabled={busy} id="audit-search">Show</button>
      </form>
      <ErrorBox error={error} />
      <table class="audit">
        <thead><tr><th>When</th><th>Actor</th><th>Action</th><th>Target</th><th>From</th></tr></thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td><code>{e.actor}</code></td>
              <td>{e.action}</td>
              <td><code>{e.target}</code></td>
              <td>{[e.ip, e.country].filter(Boolean).join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {cursor ? <button onClick={() => load(cursor)} disabled={busy}>More</button> : null}
    </Section>
  );
}
