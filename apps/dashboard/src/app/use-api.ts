import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, plainMessageOf } from '../api/api-client';
import { type PlainMessage } from '../api/problem-message';

export interface ApiState<T> {
  data?: T;
  error?: PlainMessage;
  loading: boolean;
  reload: () => void;
}

interface Loaded<T> {
  /** The path these answers are for: another path's never show. */
  path: string | null;
  data?: T;
  error?: PlainMessage;
  loading: boolean;
}

/**
 * A GET the view shows, optionally polled every `pollMs` (a new poll starts only after the
 * previous answer). The last good answer stays on screen while a later poll fails.
 */
export function useApi<T>(path: string | null, pollMs?: number): ApiState<T> {
  const [state, setState] = useState<Loaded<T>>({ path, loading: path !== null });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      setState((previous) =>
        previous.path === path ? { ...previous, loading: true } : { path, loading: true },
      );
      try {
        const data = await api<T>(path, { signal: controller.signal });
        if (controller.signal.aborted) return;
        setState({ path, data, loading: false });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((previous) => ({
          ...(previous.path === path ? previous : { path }),
          error: plainMessageOf(error),
          loading: false,
        }));
      }
      if (pollMs && !controller.signal.aborted) timer = setTimeout(() => void load(), pollMs);
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [path, pollMs, generation]);

  if (state.path !== path) return { loading: path !== null, reload };
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
