/** Views added by later features register here: runbooks/run/journal (runViews.tsx), debrief (drillViews.tsx). */
import type React from 'react';
import type { AppState, ViewId } from '../../app/state.js';
import type { Controller } from '../../app/controller.js';
import type { Theme } from '../theme.js';
import { RUN_VIEWS } from './runViews.js';
import { DRILL_VIEWS } from './drillViews.js';

export interface ExtraViewProps {
  s: AppState;
  theme: Theme;
  width: number;
  height: number;
  now: number;
  controller: Controller;
}

export const ExtraViews: Partial<Record<ViewId, (p: ExtraViewProps) => React.ReactElement>> = { ...RUN_VIEWS, ...DRILL_VIEWS };
