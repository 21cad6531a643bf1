/** Runbooks, run and journal views (placeholders until built). */
import React from 'react';
import { Text } from 'ink';
import type { ViewId } from '../../app/state.js';
import type { ExtraViewProps } from './extra.js';

export const RUN_VIEWS: Partial<Record<ViewId, (p: ExtraViewProps) => React.ReactElement>> = {
  runbooks: () => <Text dimColor>runbooks: not available yet</Text>,
  journal: () => <Text dimColor>journal: not available yet</Text>,
};
