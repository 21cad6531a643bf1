/**
 * Framing of commands sent to a long-lived POSIX shell over one SSH channel (see probeShell.ts).
 *
 * The channel runs SHELL_COMMAND: `sh` reading its commands from the channel through fd 3 while
 * its own stdin (inherited by every command) is /dev/null, so no command can swallow the text of
 * the next one. Each round is written as
 *
 *     cd
 *     <command>
 *     printf '\036baie-end:%s%s:%s\n' AAAAAAAA BBBBBBBB "$?"; printf '\036baie-end:%s%s:0\n' AAAAAAAA BBBBBBBB >&2
 *
 * and its output is everything before the end marker `\x1ebaie-end:<nonce>:<status>\n`, on stdout
 * and on stderr separately (both markers must arrive: each stream is ordered, the two are not).
 * The nonce is random per round and is split in two in the text sent, so the marker never appears
 * whole in the input: output that merely looks like a marker cannot end a round. Pure.
 */
import { randomBytes } from 'node:crypto';

/** `sh` whose commands come from the channel (fd 3) and whose stdin is /dev/null. */
export const SHELL_COMMAND = 'exec sh /dev/fd/3 3<&0 </dev/null';

const HEAD = '\x1ebaie-end:';

export function newNonce(): string {
  return randomBytes(8).toString('hex');
}

function endLines(nonce: string): string {
  const a = nonce.slice(0, nonce.length >> 1);
  const b = nonce.slice(nonce.length >> 1);
  return `printf '\\036baie-end:%s%s:%s\\n' ${a} ${b} "$?"; printf '\\036baie-end:%s%s:0\\n' ${a} ${b} >&2\n`;
}

/**
 * The text that runs `command` as one round: back to the home directory first (a `cd` in an
 * earlier round must not leak), then the command, then the two end markers with its status.
 */
export function roundText(command: string, nonce: string): string {
  return `cd\n${command.replace(/\n+$/, '')}\n${endLines(nonce)}`;
}

/** A round with no command: sent first on a new shell; what comes before its markers (login noise) is dropped. */
export function helloText(nonce: string): string {
  return endLines(nonce);
}

export interface FrameEnd {
  /** Status from the marker; null when what followed the marker was not a status (garbage). */
  status: number | null;
  /** Bytes after the marker line (belong to whatever comes next). */
  rest: Buffer;
}

/**
 * Reads one stream of one round: passes through the output and finds the end marker. Bytes that
 * could be the start of the marker are held back until it is clear they are not.
 */
export class FrameReader {
  private readonly head: Buffer;
  private held: Buffer = Buffer.alloc(0);
  done?: FrameEnd;

  constructor(nonce: string) {
    this.head = Buffer.from(`${HEAD}${nonce}:`, 'latin1');
  }

  /** Feeds bytes; returns the output they complete. After the marker, `done` is set. */
  push(data: Buffer): Buffer {
    if (this.done) return Buffer.alloc(0);
    const buf = this.held.length ? Buffer.concat([this.held, data]) : data;
    const at = buf.indexOf(this.head);
    if (at >= 0) {
      const tail = buf.subarray(at + this.head.length);
      const nl = tail.indexOf(0x0a);
      if (nl < 0 && tail.length <= 3) {
        // the status has not fully arrived yet
        this.held = buf.subarray(at);
        return buf.subarray(0, at);
      }
      const m = nl >= 0 ? /^(\d{1,3})$/.exec(tail.subarray(0, nl).toString('latin1')) : null;
      this.done = { status: m ? Number(m[1]) : null, rest: m ? tail.subarray(nl + 1) : Buffer.alloc(0) };
      this.held = Buffer.alloc(0);
      return buf.subarray(0, at);
    }
    // hold back a suffix that is a prefix of the marker
    const from = Math.max(0, buf.length - (this.head.length - 1));
    for (let i = buf.indexOf(0x1e, from); i >= 0; i = buf.indexOf(0x1e, i + 1)) {
      const n = buf.length - i;
      if (buf.subarray(i).equals(this.head.subarray(0, n))) {
        this.held = buf.subarray(i);
        return buf.subarray(0, i);
      }
    }
    this.held = Buffer.alloc(0);
    return buf;
  }

  /** What is held back (at the end of the stream, when no marker came). */
  flush(): Buffer {
    const h = this.held;
    this.held = Buffer.alloc(0);
    return h;
  }
}
