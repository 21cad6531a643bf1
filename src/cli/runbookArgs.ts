/** Shared by plan and run: find the runbook, resolve its parameters against the fleet. */
import { findRunbook } from '../runbook/catalog.js';
import { parseParamArgs, resolveParams, type ResolvedParams } from '../runbook/params.js';
import type { LoadedRunbook } from '../runbook/load.js';
import { formatProblems } from '../inventory/index.js';
import type { Fleet } from '../model/fleet.js';
import type { Settings } from '../app/settings.js';
import { UserError } from './errors.js';

export async function loadNamedRunbook(name: string | undefined, settings: Settings): Promise<LoadedRunbook> {
  if (!name) throw new UserError('which runbook? (baie runbooks lists them)');
  const loaded = await findRunbook(name, settings.runbookDirs);
  if (!loaded) throw new UserError(`no runbook named '${name}' (baie runbooks lists them; a path to a .yaml file works too)`);
  if (loaded.problems.length) throw new UserError(formatProblems(loaded.problems));
  return loaded;
}

export function resolveRunbookParams(loaded: LoadedRunbook, args: string[] | undefined, fleet: Fleet): ResolvedParams {
  const { given, problems } = parseParamArgs(args);
  const r = resolveParams(loaded.runbook!, given, fleet);
  const all = [...problems, ...r.problems];
  if (all.length) throw new UserError(all.map((p) => `${loaded.runbook!.runbook}: ${p}`).join('\n'));
  return r;
}
