/**
 * A tiny line discipline for lab terminals (pty shells, serial consoles): echo, backspace,
 * Ctrl-U, Ctrl-C, Ctrl-D, up/down history; escape sequences are swallowed.
 */
export type LineEvent = { kind: 'line'; text: string } | { kind: 'interrupt' } | { kind: 'eof' };

const HISTORY_MAX = 100;

export class LineEditor {
  buf = '';
  /** Echo typed characters (off while a password is typed). */
  echoOn = true;
  private history: string[] = [];
  private histPos = 0;
  private esc: '' | 'esc' | 'csi' = '';
  private csiParams = '';
  private lastCr = false;

  constructor(private readonly echo: (text: string) => void) {}

  /** Feed typed input; returns what it completed, in order. */
  feed(data: string): LineEvent[] {
    const events: LineEvent[] = [];
    for (const ch of data) {
      const wasCr = this.lastCr;
      this.lastCr = false;
      if (this.esc) {
        this.escape(ch);
        continue;
      }
      switch (ch) {
        case '\x1b':
          this.esc = 'esc';
          break;
        case '\r':
        case '\n': {
          if (ch === '\n' && wasCr) break;
          this.lastCr = ch === '\r';
          this.echo('\r\n');
          const text = this.buf;
          this.buf = '';
          if (text.trim()) {
            this.history.push(text);
            if (this.history.length > HISTORY_MAX) this.history.shift();
          }
          this.histPos = this.history.length;
          events.push({ kind: 'line', text });
          break;
        }
        case '\x7f':
        case '\b':
          if (this.buf.length) {
            this.buf = this.buf.slice(0, -1);
            if (this.echoOn) this.echo('\b \b');
          }
          break;
        case '\x15':
          this.replace('');
          break;
        case '\x03':
          this.echo('^C\r\n');
          this.buf = '';
          this.histPos = this.history.length;
          events.push({ kind: 'interrupt' });
          break;
        case '\x04':
          if (!this.buf) events.push({ kind: 'eof' });
          break;
        case '\t':
          break;
        default:
          if (ch < ' ') break;
          this.buf += ch;
          if (this.echoOn) this.echo(ch);
      }
    }
    return events;
  }

  private escape(ch: string): void {
    if (this.esc === 'esc') {
      if (ch === '[' || ch === 'O') {
        this.esc = 'csi';
        this.csiParams = '';
      } else this.esc = '';
      return;
    }
    if (ch >= '@' && ch <= '~') {
      this.esc = '';
      if (this.csiParams === '' && (ch === 'A' || ch === 'B')) this.recall(ch === 'A' ? -1 : 1);
      return;
    }
    this.csiParams += ch;
  }

  private recall(step: number): void {
    if (!this.echoOn) return;
    const pos = Math.max(0, Math.min(this.history.length, this.histPos + step));
    if (pos === this.histPos) return;
    this.histPos = pos;
    this.replace(this.history[pos] ?? '');
  }

  private replace(text: string): void {
    if (this.echoOn && this.buf.length) this.echo('\b \b'.repeat(this.buf.length));
    this.buf = text;
    if (this.echoOn && text) this.echo(text);
  }
}
