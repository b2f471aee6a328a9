/** Bandwidth and storage over a date range (ImageKit's usage API: the end date is excluded). */
import { useState } from 'preact/hooks';
import { api, query } from '../api';
import { ErrorBox, Field, formatBytes, inputValue, Section, useLoad } from '../ui/kit';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export function Usage() {
  const [range, setRange] = useState({ startDate: day(-29), endDate: day(1) });
  const usage = useLoad(() => api<{ bandwidthBytes: number; mediaLibraryStorageBytes: number }>('GET', `/v1/accounts/usage${query(range)}`), [range.startDate, range.endDate]);
  return (
    <Section title="Usage">
      <div class="row">
        <Field label="From"><input type="date" value={range.startDate} onChange={(e) => setRange({ ...range, startDate: inputValue(e) })} /></Field>
        <Field label="Until (excluded)"><input type="date" value={range.endDate} onChange={(e) => setRange({ ...range, endDate: inputValue(e) })} /></Field>
      </div>
      <ErrorBox error={usage.error} />
      {usage.data ? (
        <dl class="usage">
          <dt>Bandwidth</dt>
          <dd id="usage-bandwidth">{formatBytes(usage.data.bandwidthBytes)}</dd>
          <dt>Media library storage</dt>
          <dd id="usage-storage">{formatBytes(usage.data.mediaLibraryStorageBytes)}</dd>
        </dl>
      ) : null}
    </Section>
  );
}
