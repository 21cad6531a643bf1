/** A lab loaded from a scenario with a clock the test moves by hand. */
import { LabClock } from '../../../src/lab/clock.js';
import { loadScenario, type LoadOptions } from '../../../src/lab/scenario.js';

export const START = Date.UTC(2026, 10, 21, 3, 12, 0);

export function handLab(file?: string, opts: LoadOptions = {}) {
  let real = 0;
  const clock = new LabClock(1, START, () => real);
  const lab = loadScenario(file, { ...opts, clock });
  /** Move lab time forward by `ms` and run the tickers. */
  const advance = (ms: number) => {
    real += ms;
    lab.world.advance();
  };
  return { ...lab, advance };
}
