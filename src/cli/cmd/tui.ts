/** The console: the fleet (or the built-in lab) drawn live, in the alternate screen. */
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { openFleet } from '../fleet.js';
import { Reach } from '../../app/reach.js';
import { Session } from '../../app/session.js';
import { labHands } from '../labHands.js';
import { ConsoleScreen } from '../consoleScreen.js';
import { labClock } from '../labClock.js';
import { runDeps } from '../../app/runDeps.js';

export async function run(ctx: CliContext): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new UserError('the console needs a terminal (for scripts: baie probe --json, baie run --json)');
  // Ink and the views load while the fleet is read (or the lab starts): the first frame comes sooner
  const screenP = ConsoleScreen.load();
  const opened = await openFleet(ctx, { startLab: true });
  const { fleet, settings } = opened;
  // the console asks about unknown host keys and key passphrases itself
  let asker: Session | undefined;
  const reach = new Reach(fleet, {
    acceptNewHostKeys: ctx.flags['accept-new-host-keys'] === true,
    onUnknownHostKey: (q) => (asker ? asker.askHostKey(q) : Promise.resolve('refuse')),
    passphrase: (file) => (asker ? asker.askPassphrase(file) : Promise.resolve(undefined)),
  });
  const screen = await screenP;
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
    runDeps: runDeps(reach, (await labClock(fleet)) ?? {}),
    onQuit: () => done(),
    openSession: (machine, kind) => screen.openSession(reach, machine, kind),
  });
  asker = session;
  try {
    screen.show(session);
    session.start();
    await finished;
  } finally {
    screen.close();
    session.stop();
    await reach.close().catch(() => undefined);
    if (opened.labChild) opened.labChild.kill('SIGTERM');
    // the journal of any run is already on disk: do not let a stray handle keep a quit console alive
    setTimeout(() => process.exit(process.exitCode ?? 0), 300);
  }
  return 0;
}
