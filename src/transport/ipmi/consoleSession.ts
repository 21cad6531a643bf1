/**
 * The PtySession plumbing both SOL implementations share: output that arrives before anyone
 * listens is kept and replayed, onClose fires exactly once (also for late subscribers), and
 * writes after the end are dropped.
 */
import type { PtySession } from '../types.js';

export type CloseInfo = { code: number | null; signal?: string };

export interface ConsoleIo {
  write(data: string | Buffer): void;
  /** Leave the console (the implementation's own way); must lead to `end()` being called. */
  close(): void;
}

export class ConsoleSession implements PtySession {
  private dataCbs: Array<(d: string) => void> = [];
  private closeCbs: Array<(i: CloseInfo) => void> = [];
  private early: string[] = [];
  private ended?: CloseInfo;
  private closing = false;
  io?: ConsoleIo;

  /** Feed console output (already decoded). */
  emit(text: string): void {
    if (!text) return;
    if (this.dataCbs.length === 0) this.early.push(text);
    else for (const cb of this.dataCbs) cb(text);
  }

  /** The console is gone. */
  end(info: CloseInfo): void {
    if (this.ended) return;
    this.ended = info;
    for (const cb of this.closeCbs) cb(info);
    this.closeCbs = [];
  }

  get isClosed(): boolean {
    return this.ended !== undefined;
  }

  write(data: string | Buffer): void {
    if (!this.ended && !this.closing) this.io?.write(data);
  }

  /** A serial console has no window size: accepted and ignored. */
  resize(_cols: number, _rows: number): void {}

  onData(cb: (data: string) => void): void {
    this.dataCbs.push(cb);
    if (this.early.length) {
      const e = this.early;
      this.early = [];
      for (const t of e) cb(t);
    }
  }

  onClose(cb: (info: CloseInfo) => void): void {
    if (this.ended) cb(this.ended);
    else this.closeCbs.push(cb);
  }

  close(): void {
    if (this.ended || this.closing) return;
    this.closing = true;
    this.io?.close();
  }
}
