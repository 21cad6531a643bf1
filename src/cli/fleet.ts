/**
 * Which fleet a command works on: --inventory, else the `inventory` setting, else a lab already
 * running in the default lab directory, else (for the console only) a lab started now.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Fleet } from '../model/fleet.js';
import { loadInventory, formatProblems } from '../inventory/index.js';
import { loadSettings, type Settings } from '../app/settings.js';
import { defaultLabDir } from '../app/paths.js';
import type { CliContext } from './context.js';
import { UserError } from './errors.js';

export interface OpenedFleet {
  fleet: Fleet;
  settings: Settings;
  /** The lab process this command started (the console stops it on quit). */
  labChild?: ChildProcess;
  labDir?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runningLab(dir: string): boolean {
  try {
    const pid = Number(readFileSync(join(dir, 'lab.pid'), 'utf8').trim());
    return pid > 0 && alive(pid) && existsSync(join(dir, 'inventory.yaml'));
  } catch {
    return false;
  }
}

export async function loadFleetFile(file: string, lab = false): Promise<Fleet> {
  const { fleet, problems } = await loadInventory(resolve(file));
  if (problems.length) throw new UserError(`${formatProblems(problems.slice(0, 10))}${problems.length > 10 ? `\n… and ${problems.length - 10} more (baie check)` : ''}`);
  fleet.lab = lab || existsSync(join(resolve(file, '..'), 'lab.pid'));
  return fleet;
}

/** Start `baie lab --dir DIR --quiet` as a child and wait for its ready line. */
export async function startLabChild(dir: string, speed?: string): Promise<ChildProcess> {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const child = spawn(process.execPath, [main, 'lab', '--dir', dir, '--quiet', ...(speed ? ['--speed', speed] : [])], { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((ok, fail) => {
    const t = setTimeout(() => fail(new UserError(`the lab did not start within 30 s${err ? `: ${err.trim().split('\n')[0]}` : ''}`, 1)), 30_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready /m.test(out)) {
        clearTimeout(t);
        ok();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(t);
      fail(new UserError(`the lab stopped at start (exit ${code})${err ? `: ${err.trim().split('\n').pop()}` : ''}`, 1));
    });
  });
  child.stdout!.resume();
  return child;
}

export async function openFleet(ctx: CliContext, opts: { startLab?: boolean; speed?: string } = {}): Promise<OpenedFleet> {
  const settings = loadSettings();
  const file = (ctx.flags.inventory as string | undefined) || settings.inventory;
  if (file) {
    if (!existsSync(file)) throw new UserError(`inventory ${file} does not exist${ctx.flags.inventory ? '' : ' (setting `inventory`: baie config set inventory FILE)'}`);
    return { fleet: await loadFleetFile(file), settings };
  }
  const dir = defaultLabDir();
  if (runningLab(dir)) return { fleet: await loadFleetFile(join(dir, 'inventory.yaml'), true), settings, labDir: dir };
  if (!opts.startLab) throw new UserError('no inventory configured: pass --inventory FILE, set one with `baie config set inventory FILE`, or start the lab with `baie lab`');
  const labChild = await startLabChild(dir, opts.speed);
  return { fleet: await loadFleetFile(join(dir, 'inventory.yaml'), true), settings, labChild, labDir: dir };
}
