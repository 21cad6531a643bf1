import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux, tmuxSkipReason } from './tmux.js';
import { BAIE, startTestLab, type TestLab } from './lab.js';

const skip = tmuxSkipReason();
describe.skipIf(!!skip)(`the console in a real terminal${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let lab: TestLab;
  const tmux = new Tmux();
  beforeAll(async () => {
    lab = await startTestLab();
    await tmux.start(`node ${BAIE} --inventory ${lab.inventory}`, { ...lab.env, TERM: 'xterm-256color' });
  }, 60_000);
  afterAll(async () => {
    await tmux.kill();
    await lab?.stop();
  });

  it('draws the racks of the default scenario with every machine', async () => {
    const s = await tmux.waitFor(/paris \/ A \(42U\)[\s\S]*rouans \/ B/);
    for (const name of ['eva', 'estelle', 'emma', 'ella', 'elea', 'elma', 'elsa', 'fey', 'console', 'ada', 'facteur', 'apc', 'pve1', 'pve2', 'baloo']) expect(s).toContain(name);
    expect(s).toContain('[LAB]');
    await tmux.waitFor(/● fey/, 20_000);
  }, 40_000);

  it('shows fey degraded after a disk fails and r refreshes', async () => {
    const f = await lab.baie('lab', 'fault', 'disk-fail', 'fey', '--dir', lab.dir);
    expect(f.exitCode).toBe(0);
    await tmux.keys('r');
    const s = await tmux.waitFor(/✖ fey/, 30_000);
    expect(s).toMatch(/✖ fey/);
  }, 40_000);

  it(':ella jumps to ella, s opens a shell where hostname prints ella, ~. returns', async () => {
    await tmux.type(':ella');
    await tmux.waitFor(/machine\s+ella/);
    await tmux.keys('Enter');
    await tmux.waitFor(/ella — web/);
    await tmux.keys('s');
    await tmux.waitFor(/root@ella/, 20_000);
    await tmux.type('hostname');
    await tmux.keys('Enter');
    const shell = await tmux.waitFor(/^ella\s*$/m);
    expect(shell).toMatch(/root@ella/);
    await tmux.keys('Enter');
    await tmux.type('~.');
    const back = await tmux.waitFor(/shell on ella[\s\S]*recorded/, 15_000);
    expect(back).toContain('baie │ machine');
    expect(back).toContain('ella — web');
  }, 60_000);

  it('follows a resize down to 80x24 and back, header and key hints always on screen', async () => {
    await tmux.keys('1');
    await tmux.resize(80, 24);
    const small = await tmux.waitFor(/paris \/ A[\s\S]*q quit/);
    const lines = small.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines[0]).toMatch(/^baie │ racks/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    await tmux.resize(120, 40);
    await tmux.waitFor(/paris \/ A \(42U\)\s+rouans \/ B/);
  }, 30_000);

  it('quits with q', async () => {
    await tmux.keys('Escape', 'q');
    const end = Date.now() + 10_000;
    while ((await tmux.alive()) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    expect(await tmux.alive()).toBe(false);
  }, 20_000);
});
