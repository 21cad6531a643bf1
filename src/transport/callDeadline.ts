/**
 * One call's cancellation: the caller's AbortSignal and an optional timeout merged into one signal,
 * remembering which of the two fired. `done()` clears the timer and the listener.
 */
export interface CallDeadline {
  signal: AbortSignal;
  reason(): 'timeout' | 'abort';
  done(): void;
}

export function callDeadline(opts: { signal?: AbortSignal; timeoutMs?: number }): CallDeadline {
  const ac = new AbortController();
  let reason: 'timeout' | 'abort' = 'abort';
  const onUserAbort = (): void => ac.abort();
  if (opts.signal?.aborted) ac.abort();
  else opts.signal?.addEventListener('abort', onUserAbort, { once: true });
  const timer =
    opts.timeoutMs !== undefined
      ? setTimeout(() => {
          reason = 'timeout';
          ac.abort();
        }, opts.timeoutMs)
      : undefined;
  return {
    signal: ac.signal,
    reason: () => reason,
    done() {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onUserAbort);
    },
  };
}
