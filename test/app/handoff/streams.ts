/** Terminal stand-ins for handOff: a stdin that may pretend to be a TTY, a stdout with a size. */
import { PassThrough } from 'node:stream';

export class FakeStdin extends PassThrough {
  isTTY: boolean;
  isRaw = false;
  rawCalls: boolean[] = [];
  constructor(tty = false) {
    super();
    this.isTTY = tty;
  }
  setRawMode(raw: boolean): this {
    this.isRaw = raw;
    this.rawCalls.push(raw);
    return this;
  }
  /** Type keys one at a time, like a raw terminal, letting the event loop run between them. */
  async type(keys: string): Promise<void> {
    for (const k of keys) {
      this.write(k);
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}

export class FakeStdout extends PassThrough {
  isTTY = true;
  columns = 120;
  rows = 40;
  text = '';
  constructor() {
    super();
    this.on('data', (d: Buffer) => (this.text += d.toString('utf8')));
  }
  resizeTo(cols: number, rows: number): void {
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

export async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
