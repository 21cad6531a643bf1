/** Views added by later features (runbooks, run, journal) register here. */
import React from 'react';
import { Text } from 'ink';
import type { AppState, ViewId } from '../../app/state.js';
import type { Controller } from '../../app/controller.js';
import type { Theme } from '../theme.js';

export interface ExtraViewProps {
  s: AppState;
  theme: Theme;
  width: number;
  height: number;
  now: number;
  controller: Controller;
}

export const ExtraViews: Partial<Record<ViewId, (p: ExtraViewProps) => React.ReactElement>> = {
  runbooks: () => <Text dimColor>runbooks: not available yet</Text>,
  journal: () => <Text dimColor>journal: not available yet</Text>,
};
