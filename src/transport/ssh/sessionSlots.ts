/** At most N sessions at once on one SSH connection (the server's MaxSessions): the rest wait their turn. */
export class SessionSlots {
  active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly max: number) {}

  get queued(): number {
    return this.waiters.length;
  }

  /** A slot, once one is free; false if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve(true);
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }
}
