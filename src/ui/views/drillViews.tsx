/** The rehearsal debrief view (placeholder until built). */
import React from 'react';
import { Text } from 'ink';
import type { ViewId } from '../../app/state.js';
import type { ExtraViewProps } from './extra.js';

export const DRILL_VIEWS: Partial<Record<ViewId, (p: ExtraViewProps) => React.ReactElement>> = {
  debrief: () => <Text dimColor>debrief: not available yet</Text>,
};
