/** The console: the fleet (or the built-in lab) drawn live, in the alternate screen. */
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { openFleet } from '../fleet.js';
import { Reach } from '../../app/reach.js';
import { Session } from '../../app/session.js';
import { labHands } from '../labHands.js';

export async function run(ctx: CliContext): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new UserError('the console needs a terminal (for scripts: baie probe --json, baie run --json)');
  const opened = await openFleet(ctx, { startLab: true });
  const { fleet, settings } = opened;
  // the console asks about unknown host keys and key passphrases itself
  let asker: Session | undefined;
  const reach = new Reach(fleet, {
    acceptNewHostKeys: ctx.flags['accept-new-host-keys'] === true,
    onUnknownHostKey: (q) => (asker ? asker.askHostKey(q) : Promise.resolve('refuse')),
    passphrase: (file) => (asker ? asker.askPassphrase(file) : Promise.resolve(undefined)),
  });
  // Ink and the views load after the fleet is known; nothing else needs them.
  const [{ render }, React, { App }] = await Promise.all([import('ink'), import('react'), import('../../ui/App.js')]);
  let handOff: typeof import('../../app/handoff.js') | undefined;
  let app: ReturnType<typeof render> | undefined;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const session: Session = new Session({
    fleet,
    reach,
    readOnly: ctx.flags['read-only'] === true || settings.readOnly,
    lab: !!fleet.lab,
    ascii: ctx.flags.ascii === true || settings.ascii,
    refreshMs: settings.refreshSeconds * 1000,
    // on the lab, the lab's people can do a manual step's physical action (Ctrl-L in the run view)
    hands: fleet.lab ? labHands(fleet) : undefined,
    onQuit: () => done(),
    openSession: async (machine, kind) => {
      handOff ??= await import('../../app/handoff.js');
      return handOff.openSession(reach, machine, kind, {
        stdin: process.stdin,
        stdout: process.stdout,
        onSuspend: () => {
          app?.unmount();
          app = undefined;
        },
        onResume: () => {
          // handOff leaves stdin paused; Ink's 'readable' listener never fires on a paused stream
          process.stdin.resume();
          app = mount();
        },
        // the console already draws in the alternate screen
        screen: 'clear',
      });
    },
  });
  asker = session;
  const mount = () => render(React.createElement(App, { controller: session }), { exitOnCtrlC: false, patchConsole: false });
  process.stdout.write('\x1b[?1049h\x1b[H');
  const restore = () => process.stdout.write('\x1b[?1049l');
  process.on('exit', restore);
  try {
    app = mount();
    session.start();
    await finished;
  } finally {
    app?.unmount();
    restore();
    process.off('exit', restore);
    session.stop();
    await reach.close().catch(() => undefined);
    if (opened.labChild) opened.labChild.kill('SIGTERM');
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
    // the journal of any run is already on disk: do not let a stray handle keep a quit console alive
    setTimeout(() => process.exit(process.exitCode ?? 0), 300);
  }
  return 0;
}
