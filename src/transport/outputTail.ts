/** Bounded output capture: decodes UTF-8 chunks and keeps only the last `max` bytes. */
import { StringDecoder } from 'node:string_decoder';

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

export class OutputTail {
  private readonly decoder = new StringDecoder('utf8');
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly max: number = DEFAULT_MAX_OUTPUT_BYTES) {}

  /** Adds raw bytes; returns the newly decoded text (possibly '' when a character is split). */
  push(data: Buffer | string): string {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    this.chunks.push(buf);
    this.size += buf.length;
    while (this.size > this.max && this.chunks.length > 0) {
      const over = this.size - this.max;
      const first = this.chunks[0];
      if (first.length <= over) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(over);
        this.size -= over;
      }
      this.truncated = true;
    }
    return this.decoder.write(buf);
  }

  /** Flushes a trailing incomplete character (as U+FFFD); returns it. */
  end(): string {
    return this.decoder.end();
  }

  text(): string {
    let s = Buffer.concat(this.chunks).toString('utf8');
    // A cut in the middle of a character leaves replacement chars at the start: drop them.
    if (this.truncated) s = s.replace(/^\uFFFD+/, '');
    return s;
  }
}
