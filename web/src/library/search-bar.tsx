/** The search box (ImageKit's query language, typed or built with the helper's filters). */
import { useState } from 'preact/hooks';
import { inputValue } from '../ui/kit';
import { combineQueries, type Filters, filtersQuery } from './search-query';

export function SearchBar({ value, onSearch }: { value: string; onSearch: (query: string) => void }) {
  const [text, setText] = useState(value);
  const [helper, setHelper] = useState(false);
  const [filters, setFilters] = useState<Filters>({});
  const set = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch });
  const submit = (e: Event) => {
    e.preventDefault();
    onSearch(text.trim());
  };
  const apply = () => {
    const q = combineQueries(text, filtersQuery(filters));
    setText(q);
    setHelper(false);
    onSearch(q);
  };
  return (
    <form class="search" onSubmit={submit} role="search">
      <input
        name="q"
        type="search"
        placeholder='name : "cat" AND tags IN ["summer"]'
        value={text}
        onInput={(e) => setText(inputValue(e))}
        aria-label="Search query"
        spellcheck={false}
      />
      <button type="submit">Search</button>
      <button type="button" class="secondary" onClick={() => setHelper(!helper)} aria-expanded={helper}>Filters</button>
      {helper ? (
        <div class="filters">
          <label>Name starts with <input value={filters.name ?? ''} onInput={(e) => set({ name: inputValue(e) })} /></label>
          <Choice label="Type" value={filters.fileType ?? ''} options={[['', 'any'], ['image', 'image'], ['non-image', 'other']]} onChange={(v) => set({ fileType: v as Filters['fileType'] })} />
          <label>Format <input value={filters.format ?? ''} placeholder="jpg" onInput={(e) => set({ format: inputValue(e) })} /></label>
          <label>Tags <input value={(filters.tags ?? []).join(', ')} placeholder="a, b" onInput={(e) => set({ tags: inputValue(e).split(',') })} /></label>
          <Choice
            label="Created"
            value={filters.createdWithin ?? ''}
            options={[['', 'any time'], ['1d', 'last day'], ['7d', 'last 7 days'], ['30d', 'last 30 days']]}
            onChange={(v) => set({ createdWithin: v as Filters['createdWithin'] })}
          />
          <label>Larger than (MB) <input type="number" min={0} value={filters.minSizeMb ?? ''} onInput={(e) => set({ minSizeMb: Number(inputValue(e)) || null })} /></label>
          <Choice label="Private" value={filters.private ?? ''} options={[['', 'either'], ['true', 'private'], ['false', 'public']]} onChange={(v) => set({ private: v as Filters['private'] })} />
          <button type="button" onClick={apply}>Apply filters</button>
        </div>
      ) : null}
    </form>
  );
}

function Choice({ label, value, options, onChange }: { label: string; value: string; options: [string, string][]; onChange: (value: string) => void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(inputValue(e))}>
        {options.map(([v, text]) => (
          <option value={v}>{text}</option>
        ))}
      </select>
    </label>
  );
}
