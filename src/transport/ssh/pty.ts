/** An interactive pty channel (login shell or a command) as a PtySession. */
import { StringDecoder } from 'node:string_decoder';
import type { Client, ClientChannel, PseudoTtyOptions } from 'ssh2';
import type { PtyOptions, PtySession } from '../types.js';

type CloseInfo = { code: number | null; signal?: string };

export function openPtyOnClient(client: Client, opts: PtyOptions, onEnd: () => void): Promise<PtySession> {
  const win: PseudoTtyOptions = { term: opts.term ?? 'xterm-256color', cols: opts.cols, rows: opts.rows };
  return new Promise<PtySession>((resolve, reject) => {
    const cb = (e: Error | undefined, ch: ClientChannel): void => {
      if (e) {
        reject(e);
        return;
      }
      resolve(new SshPtySession(ch, onEnd));
    };
    try {
      if (opts.command !== undefined) client.exec(opts.command, { pty: win }, cb);
      else client.shell(win, cb);
    } catch (e) {
      reject(e as Error);
    }
  });
}

class SshPtySession implements PtySession {
  private readonly decoder = new StringDecoder('utf8');
  private dataCbs: Array<(d: string) => void> = [];
  private closeCbs: Array<(i: CloseInfo) => void> = [];
  /** Output that arrived before anyone listened. */
  private early: string[] = [];
  private closed?: CloseInfo;
  private exit: CloseInfo = { code: null };

  constructor(private readonly ch: ClientChannel, onEnd: () => void) {
    const emit = (s: string): void => {
      if (!s) return;
      if (this.dataCbs.length === 0) this.early.push(s);
      else for (const cb of this.dataCbs) cb(s);
    };
    ch.on('data', (d: Buffer) => emit(this.decoder.write(d)));
    ch.stderr.on('data', (d: Buffer) => emit(this.decoder.write(d)));
    ch.on('exit', (code: number | null, signal?: string) => {
      this.exit = typeof code === 'number' ? { code } : { code: null, signal: signal?.replace(/^SIG/, '') };
    });
    ch.on('error', () => {});
    ch.on('close', () => {
      emit(this.decoder.end());
      this.closed = this.exit;
      onEnd();
      for (const cb of this.closeCbs) cb(this.exit);
    });
  }

  write(data: string | Buffer): void {
    if (!this.closed) this.ch.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.closed) this.ch.setWindow(rows, cols, 0, 0);
  }

  onData(cb: (data: string) => void): void {
    this.dataCbs.push(cb);
    if (this.early.length) {
      const e = this.early.join('');
      this.early = [];
      cb(e);
    }
  }

  onClose(cb: (info: CloseInfo) => void): void {
    if (this.closed) cb(this.closed);
    else this.closeCbs.push(cb);
  }

  close(): void {
    if (!this.closed) this.ch.close();
  }
}
