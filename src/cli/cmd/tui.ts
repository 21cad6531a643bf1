/**
 * The console: the fleet (or the built-in lab) drawn live, in the alternate screen.
 * Only what the first frame needs is imported up front: the racks are painted as plain text as
 * soon as the inventory is read, while Ink, the SSH pool and the session load.
 */
import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { openFleet } from '../fleet.js';
import { plainRacksFrame } from '../../ui/plainFrame.js';
import type { Session } from '../../app/session.js';

export async function run(ctx: CliContext): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new UserError('the console needs a terminal (for scripts: baie probe --json, baie run --json)');
  const opened = await openFleet(ctx, { startLab: true });
  const { fleet, settings } = opened;
  const readOnly = ctx.flags['read-only'] === true || settings.readOnly;
  const ascii = ctx.flags.ascii === true || settings.ascii;
  process.stdout.write('\x1b[?1049h\x1b[H\x1b[2J' + plainRacksFrame(fleet, process.stdout.columns || 80, process.stdout.rows || 24, { ascii, lab: !!fleet.lab, readOnly }));

  const [{ ConsoleScreen }, { Reach }, { Session }, { labHands }, { labClock }, { runDeps }] = await Promise.all([
    import('../consoleScreen.js'),
    import('../../app/reach.js'),
    import('../../app/session.js'),
    import('../labHands.js'),
    import('../labClock.js'),
    import('../../app/runDeps.js'),
  ]);
  const screen = await ConsoleScreen.load();
  // the console asks about unknown host keys and key passphrases itself
  let asker: Session | undefined;
  const reach = new Reach(fleet, {
    acceptNewHostKeys: ctx.flags['accept-new-host-keys'] === true,
    onUnknownHostKey: (q) => (asker ? asker.askHostKey(q) : Promise.resolve('refuse')),
    passphrase: (file) => (asker ? asker.askPassphrase(file) : Promise.resolve(undefined)),
  });
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const session: Session = new Session({
    fleet,
    reach,
    readOnly,
    lab: !!fleet.lab,
    ascii,
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
