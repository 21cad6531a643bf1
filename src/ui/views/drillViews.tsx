/** The rehearsal debrief view. */
import type React from 'react';
import type { ViewId } from '../../app/state.js';
import type { ExtraViewProps } from './extra.js';
import { DebriefView } from './drill/DebriefView.js';

export const DRILL_VIEWS: Partial<Record<ViewId, (p: ExtraViewProps) => React.ReactElement>> = {
  debrief: (p) => <DebriefView {...p} />,
};
