/**
 * The terminal side of a console session, shared by `baie` and `baie rehearse`: Ink mounted in
 * the alternate screen, handed over to a shell or serial console and taken back, and left clean.
 * Ink and the views load here, lazily: no other command pays for them.
 */
import type { Controller } from '../app/controller.js';
import type { Reach } from '../app/reach.js';

type Ink = typeof import('ink');
type Instance = ReturnType<Ink['render']>;

/** The options the console mounts Ink with (the scale benchmark mounts the App with the same). */
export const RENDER_OPTIONS = { exitOnCtrlC: false, patchConsole: false } as const;

/**
 * Ink, React and the App as the console runs them:
 * - Ink draws only a final frame when it believes it runs in CI (CI=true). The console always has
 *   a terminal (it refuses to start without one), so Ink must not see those variables.
 * - React's production build unless NODE_ENV asks otherwise: the development build checks and
 *   records every render (about half the time of a keypress on a big fleet, twice the heap).
 * Both are read once, when the modules load; the environment is put back afterwards so shells
 * and runs started from the console inherit it unchanged.
 * - V8's young generation grows to about 8 MB and no further (see capYoungGeneration).
 */
export async function loadConsoleModules(): Promise<{ ink: Ink; React: typeof import('react'); App: typeof import('../ui/App.js').App }> {
  capYoungGeneration(await import('node:v8'));
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION, NODE_ENV: process.env.NODE_ENV };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV = saved.NODE_ENV || 'production';
  try {
    const [ink, React, { App }] = await Promise.all([import('ink'), import('react'), import('../ui/App.js')]);
    return { ink, React, App };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v !== undefined) process.env[k] = v;
      else delete process.env[k];
    }
  }
}

const YOUNG_GENERATION_BYTES = 8 * 2 ** 20;

/**
 * Every frame Ink allocates a fresh screen of cells, so V8 doubles its young generation up to
 * 2×16 MB, and that space stays reserved (counted in RSS) long after. Once it has reached ~8 MB it
 * stops growing (growth factor 1): on 2,000 machines that is ~40 MB less RSS for no more CPU per
 * keypress, where keeping it at its first 2 MB cost ~15% more (more scavenges, more promotion).
 * Checked every 200 ms until then; growth may overshoot one step under a burst.
 */
function capYoungGeneration(v8: typeof import('node:v8')): void {
  const grown = () => (v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) >= YOUNG_GENERATION_BYTES;
  const cap = () => v8.setFlagsFromString('--semi-space-growth-factor=1');
  if (grown()) return cap();
  const t = setInterval(() => {
    if (!grown()) return;
    cap();
    clearInterval(t);
  }, 200);
  t.unref();
}

export class ConsoleScreen {
  private app?: Instance;
  private controller?: Controller;
  private handOff?: typeof import('../app/handoff.js');
  private readonly restore = () => process.stdout.write('\x1b[?1049l');

  private constructor(
    private readonly ink: Ink,
    private readonly React: typeof import('react'),
    private readonly App: typeof import('../ui/App.js').App,
  ) {}

  static async load(): Promise<ConsoleScreen> {
    const { ink, React, App } = await loadConsoleModules();
    return new ConsoleScreen(ink, React, App);
  }

  /** Enter the alternate screen and draw the controller's store. */
  show(controller: Controller): void {
    this.controller = controller;
    // clear whatever was painted before Ink (the plain first frame)
    process.stdout.write('\x1b[?1049h\x1b[H\x1b[2J');
    process.on('exit', this.restore);
    this.mount();
  }

  private mount(): void {
    this.app = this.ink.render(this.React.createElement(this.App, { controller: this.controller! }), { ...RENDER_OPTIONS });
  }

  /** Hand the terminal to a shell or console on a machine; resolves with a notice line. */
  async openSession(reach: Reach, machine: string, kind: 'shell' | 'console'): Promise<string> {
    this.handOff ??= await import('../app/handoff.js');
    return this.handOff.openSession(reach, machine, kind, {
      stdin: process.stdin,
      stdout: process.stdout,
      onSuspend: () => {
        this.app?.unmount();
        this.app = undefined;
      },
      onResume: () => {
        // handOff leaves stdin paused; Ink's 'readable' listener never fires on a paused stream
        process.stdin.resume();
        this.mount();
      },
      // the console already draws in the alternate screen
      screen: 'clear',
    });
  }

  /** Leave the alternate screen and give the terminal back as it was. */
  close(): void {
    this.app?.unmount();
    this.app = undefined;
    this.restore();
    process.off('exit', this.restore);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}
