/**
 * Stopping a remote command for real. The SSH `signal` request is the clean way, but OpenSSH
 * refuses it for root logins ("session signalling requires privilege separation"), and closing the
 * channel does not stop a silent command. So a cancellable command is prefixed with a POSIX line
 * that reports the shell's pid (= its process group, sshd starts each session with setsid) as a
 * marker on stderr; the marker is stripped from the output, and a cancel runs
 * `kill -TERM -- -PGID` (then KILL) on a second channel of the same connection. Pure.
 */

const MARKER_PREFIX = Buffer.from('\x1ebaie-pid:');

/** The command with the pid-reporting line in front (newline-separated: any command text stays valid). */
export function wrapForKill(command: string): string {
  return `printf '\\036baie-pid:%s\\n' "$$" >&2\n${command}`;
}

/** Command that stops a process group, TERM or KILL, quietly. */
export function killGroupCommand(pid: number, sig: 'TERM' | 'KILL'): string {
  return `kill -${sig} -- -${pid} 2>/dev/null || kill -${sig} ${pid} 2>/dev/null; true`;
}

/**
 * Strips the marker line from the start of a stream and remembers the pid. Bytes are held only
 * until the first line is complete (or it is clear that there is no marker).
 */
export class PidMarkerStripper {
  pid?: number;
  private head: Buffer | undefined = Buffer.alloc(0);

  /** Returns what should pass through now. */
  push(data: Buffer): Buffer {
    if (this.head === undefined) return data;
    const buf = Buffer.concat([this.head, data]);
    const n = Math.min(buf.length, MARKER_PREFIX.length);
    if (!buf.subarray(0, n).equals(MARKER_PREFIX.subarray(0, n))) return this.release(buf);
    const nl = buf.indexOf(0x0a);
    if (nl < 0) {
      if (buf.length > 64) return this.release(buf);
      this.head = buf;
      return Buffer.alloc(0);
    }
    const m = /^(\d+)\r?$/.exec(buf.subarray(MARKER_PREFIX.length, nl).toString('latin1'));
    if (!m) return this.release(buf);
    this.pid = Number(m[1]);
    this.head = undefined;
    return buf.subarray(nl + 1);
  }

  /** At end of stream: whatever was held back. */
  flush(): Buffer {
    return this.release(Buffer.alloc(0));
  }

  private release(buf: Buffer): Buffer {
    const held = this.head ?? Buffer.alloc(0);
    this.head = undefined;
    return buf.length ? buf : held;
  }
}
