/** Drive the real program in a real terminal: tmux on its own socket, keys in, screen out. */
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';

export function tmuxSkipReason(): string | undefined {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'tmux is not installed (apt-get install tmux)';
  }
}

export class Tmux {
  readonly socket = `baie-test-${process.pid}-${Math.random().toString(36).slice(2, 7)}`;
  private t = (...args: string[]) => execa('tmux', ['-L', this.socket, ...args], { reject: false });

  async start(command: string, env: Record<string, string> = {}, cols = 120, rows = 40): Promise<void> {
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const r = await this.t('new-session', '-d', '-x', String(cols), '-y', String(rows), ...envArgs, command);
    if (r.exitCode !== 0) throw new Error(`tmux: ${r.stderr}`);
    // without this, Escape followed by a key within 500 ms arrives as Alt-key
    await this.t('set-option', '-s', 'escape-time', '0');
  }

  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) {
      await this.t('send-keys', '-t', '0', k);
      await new Promise((r) => setTimeout(r, 60));
    }
  }

  /** Literal text (no key-name lookup). */
  async type(text: string): Promise<void> {
    await this.t('send-keys', '-t', '0', '-l', text);
  }

  async screen(): Promise<string> {
    return (await this.t('capture-pane', '-p', '-t', '0')).stdout;
  }

  /** Wait until the screen matches, or fail with what was on it. */
  async waitFor(re: RegExp, timeoutMs = 15_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let s = '';
    while (Date.now() < end) {
      s = await this.screen();
      if (re.test(s)) return s;
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`screen never matched ${re}; last screen:\n${s}`);
  }

  async resize(cols: number, rows: number): Promise<void> {
    await this.t('resize-window', '-t', '0', '-x', String(cols), '-y', String(rows));
  }

  async alive(): Promise<boolean> {
    return (await this.t('has-session', '-t', '0')).exitCode === 0;
  }

  async kill(): Promise<void> {
    await this.t('kill-server');
  }
}
