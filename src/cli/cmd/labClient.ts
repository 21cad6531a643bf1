/** Shared by `baie lab fault` and `baie lab hands`: find the lab's control socket, map its errors. */
import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { defaultLabDir } from '../../app/paths.js';
import { labPaths } from '../../lab/labDir.js';
import { ControlError, LabNotRunningError, controlRequest } from '../../lab/controlClient.js';

export function labDirOf(ctx: CliContext): string {
  const d = ctx.flags.dir;
  return resolve(typeof d === 'string' && d ? d : defaultLabDir());
}

/** One control request; a missing lab or a refusal becomes a one-line UserError. */
export async function ask<T>(dir: string, op: string, params: Record<string, unknown> = {}): Promise<T> {
  try {
    return await controlRequest<T>(labPaths(dir).control, op, params);
  } catch (e) {
    if (e instanceof LabNotRunningError) throw new UserError(`no lab running in ${dir} (start one with baie lab)`);
    if (e instanceof ControlError) throw new UserError(e.message);
    throw e;
  }
}

export interface ActionRow {
  name: string;
  summary: string;
  args?: string;
}

export function printActions(ctx: CliContext, rows: ActionRow[]): void {
  const width = Math.max(4, ...rows.map((r) => (r.name + (r.args ? ` ${r.args}` : '')).length));
  for (const r of rows) ctx.stdout.write(`${(r.name + (r.args ? ` ${r.args}` : '')).padEnd(width)}  ${r.summary}\n`);
}

/** A result worth showing: a string as is, an object's `message`/`output`, else nothing. */
export function resultText(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object') {
    const o = result as Record<string, unknown>;
    for (const k of ['message', 'output', 'text']) if (typeof o[k] === 'string') return o[k] as string;
  }
  return undefined;
}
