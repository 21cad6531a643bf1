/** A PtySession stand-in: a tiny line-mode shell that echoes what it receives and prints a prompt. */
import type { PtySession } from '../../../src/transport/types.js';

type CloseInfo = { code: number | null; signal?: string };

export class FakePty implements PtySession {
  received = '';
  sizes: Array<[number, number]> = [];
  closedBy: 'client' | 'remote' | undefined;
  private line = '';
  private secret = false;
  private dataCbs: Array<(d: string) => void> = [];
  private closeCbs: Array<(i: CloseInfo) => void> = [];
  private ended?: CloseInfo;

  constructor(
    readonly hostname = 'ella',
    readonly size = { cols: 80, rows: 24 },
  ) {
    setTimeout(() => this.emit(`Linux ${hostname} 6.1.0-18-amd64\r\n${this.prompt()}`), 0);
  }

  prompt(): string {
    return `root@${this.hostname}:~# `;
  }

  write(data: string | Buffer): void {
    if (this.ended) return;
    const s = data.toString();
    this.received += s;
    for (const c of s) {
      if (c === '\r' || c === '\n') {
        this.emit('\r\n');
        this.run(this.line);
        this.line = '';
      } else {
        this.line += c;
        if (!this.secret) this.emit(c);
      }
    }
  }

  private run(line: string): void {
    if (this.secret) {
      this.secret = false;
      this.emit(`${this.prompt()}`);
      return;
    }
    const cmd = line.trim();
    if (cmd === 'hostname') this.emit(`${this.hostname}\r\n${this.prompt()}`);
    else if (cmd.startsWith('sudo ')) {
      this.secret = true;
      this.emit(`[sudo] password for root: `);
    } else if (cmd.startsWith('exit')) {
      const code = Number(cmd.split(/\s+/)[1] ?? 0);
      this.emit('logout\r\n');
      setTimeout(() => this.end({ code }), 5);
    } else if (cmd === '') this.emit(this.prompt());
    else this.emit(`-bash: ${cmd.split(' ')[0]}: command not found\r\n${this.prompt()}`);
  }

  private emit(s: string): void {
    if (!this.ended) for (const cb of this.dataCbs) cb(s);
  }

  private end(info: CloseInfo): void {
    if (this.ended) return;
    this.ended = info;
    this.closedBy ??= 'remote';
    for (const cb of this.closeCbs) cb(info);
  }

  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }

  onData(cb: (data: string) => void): void {
    this.dataCbs.push(cb);
  }

  onClose(cb: (info: CloseInfo) => void): void {
    if (this.ended) cb(this.ended);
    else this.closeCbs.push(cb);
  }

  close(): void {
    if (this.ended) return;
    this.closedBy = 'client';
    setTimeout(() => this.end({ code: null, signal: 'HUP' }), 1);
  }

  get isClosed(): boolean {
    return !!this.ended;
  }
}
