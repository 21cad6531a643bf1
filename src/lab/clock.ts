/**
 * The lab clock: lab time runs `speed` times faster than real time.
 * Everything in the lab that takes time (resync, restore, boot) is computed from `now()`.
 */
export class LabClock {
  private readonly realStart: number;
  private readonly labStart: number;
  constructor(
    public speed = 1,
    labStart = Date.now(),
    private readonly realNow: () => number = Date.now,
  ) {
    this.realStart = realNow();
    this.labStart = labStart;
  }
  /** Lab time in ms since the epoch. */
  now(): number {
    return this.labStart + (this.realNow() - this.realStart) * this.speed;
  }
  /** Real milliseconds that `labMs` of lab time takes. */
  realMs(labMs: number): number {
    return labMs / this.speed;
  }
}
