import { useSyncExternalStore } from 'react';
import type { Store } from '../app/store.js';
import type { Action, AppState } from '../app/state.js';

export function useAppState(store: Store<AppState, Action>): AppState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
