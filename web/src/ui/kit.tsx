/** The few pieces every page uses: loading data, showing an error, a labelled field, a busy button. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Runs an action, keeping its error for display; returns whether it succeeded. */
export function useAction(): [(run: () => Promise<unknown>) => Promise<boolean>, unknown, boolean, () => void] {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const act = useCallback(async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return [act, error, busy, () => setError(null)];
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const help = error instanceof ApiError ? error.help : undefined;
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <p class="error" role="alert" data-status={status}>
      {message}
      {help ? <span class="help"> {help}</span> : null}
    </p>
  );
}

export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span>{label}</span>
      {children}
      {hint ? <small>{hint}</small> : null}
    </label>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      <header>
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

/** Lines of a textarea as a list (blank lines dropped), and back. */
export const linesOf = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
export const textOf = (lines: readonly string[] | undefined) => (lines ?? []).join('\n');

export function formatBytes(n: number | undefined | null): string {
  if (n === undefined || n === null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

export const inputValue = (event: Event) => (event.currentTarget as HTMLInputElement).value;
export const inputChecked = (event: Event) => (event.currentTarget as HTMLInputElement).checked;
