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
          <label>
            Type
            <select value={filters.fileType ?? ''} onChange={(e) => set({ fileType: inputValue(e) as Filters['fileType'] })}>
              <option value="">any</option>
              <option value="image">image</option>
              <option value="non-image">other</option>
            </select>
          </label>
          <label>Format <input value={filters.format ?? ''} placeholder="jpg" onInput={(e) => set({ format: inputValue(e) })} /></label>
          <label>Tags <input value={(filters.tags ?? []).join(', ')} placeholder="a, b" onInput={(e) => set({ tags: inputValue(e).split(',') })} /></label>
          <label>
            Created
            <select value={filters.createdWithin ?? ''} onChange={(e) => set({ createdWithin: inputValue(e) as Filters['createdWithin'] })}>
              <option value="">any time</option>
              <option value="1d">last day</option>
              <option value="7d">last 7 days</option>
              <option value="30d">last 30 days</option>
            </select>
          </label>
          <label>Larger than (MB) <input type="number" min={0} value={filters.minSizeMb ?? ''} onInput={(e) => set({ minSizeMb: Number(inputValue(e)) || null })} /></label>
          <label>
            Private
            <select value={filters.private ?? ''} onChange={(e) => set({ private: inputValue(e) as Filters['private'] })}>
              <option value="">either</option>
              <option value="true">private</option>
              <option value="false">public</option>
            </select>
          </label>
          <button type="button" onClick={apply}>Apply filters</button>
        </div>
      ) : null}
    </form>
  );
}
