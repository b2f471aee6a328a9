/**
 * The list behind the grid, read from the list API a page at a time as the grid scrolls towards its end. A new
 * folder or query starts a new generation; answers for an older one are dropped.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api';
import type { FileRecord } from './types';

export const PAGE_SIZE = 200;

export interface FileList {
  files: FileRecord[];
  done: boolean;
  loading: boolean;
  error: unknown;
  loadMore: () => void;
}

export function useFileList(folder: string, searchQuery: string, sort: string, version: number): FileList {
  const [state, setState] = useState<{ files: FileRecord[]; done: boolean; loading: boolean; error: unknown }>({
    files: [],
    done: false,
    loading: false,
    error: null,
  });
  const generation = useRef(0);
  const inFlight = useRef(false);

  const fetchPage = useCallback(
    (gen: number, skip: number) => {
      inFlight.current = true;
      setState((s) => ({ ...s, loading: true }));
      // A query searches every folder (the helper can add `path : "/folder"`); without one the folder is listed.
      const params = searchQuery ? { searchQuery, sort, limit: PAGE_SIZE, skip } : { path: folder, sort, limit: PAGE_SIZE, skip };
      api<FileRecord[]>('GET', `/v1/files${query({ type: 'file', ...params })}`).then(
        (page) => {
          if (gen !== generation.current) return;
          inFlight.current = false;
          setState((s) => ({ files: skip === 0 ? page : [...s.files, ...page], done: page.length < PAGE_SIZE, loading: false, error: null }));
        },
        (error: unknown) => {
          if (gen !== generation.current) return;
          inFlight.current = false;
          setState((s) => ({ ...s, loading: false, error, done: true }));
        },
      );
    },
    [folder, searchQuery, sort],
  );

  useEffect(() => {
    const gen = ++generation.current;
    setState({ files: [], done: false, loading: true, error: null });
    fetchPage(gen, 0);
  }, [fetchPage, version]);

  const latest = useRef(state);
  latest.current = state;
  const loadMore = useCallback(() => {
    if (inFlight.current || latest.current.done) return;
    fetchPage(generation.current, latest.current.files.length);
  }, [fetchPage]);

  return { ...state, loadMore };
}
