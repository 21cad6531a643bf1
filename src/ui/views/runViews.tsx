/** Runbooks, params form, plan, run and journal views (one component per file under run/). */
import type React from 'react';
import type { ViewId } from '../../app/state.js';
import type { ExtraViewProps } from './extra.js';
import { RunbooksView } from './run/RunbooksView.js';
import { ParamsFormView } from './run/ParamsForm.js';
import { PlanView } from './run/PlanView.js';
import { RunView } from './run/RunView.js';
import { JournalView } from './run/JournalView.js';

export const RUN_VIEWS: Partial<Record<ViewId, (p: ExtraViewProps) => React.ReactElement>> = {
  runbooks: RunbooksView,
  params: ParamsFormView,
  plan: PlanView,
  run: RunView,
  journal: JournalView,
};
