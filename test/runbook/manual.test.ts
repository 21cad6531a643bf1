import { describe, expect, it } from 'vitest';
import { answersFromReport, validateAnswers } from '../../src/runbook/manual.js';
import type { PlanStep } from '../../src/runbook/plan.js';

const step = { id: 'swap', ask: { serial: { pattern: '^[A-Z0-9-]{6,}$', equals: '{{seen}}' } } } as unknown as PlanStep;

describe('manual step answers', () => {
  it('reads key: value lines of the lab hands report', () => {
    expect(answersFromReport(step, 'swapped sdd in bay 4\nserial: WD-NEW12345\n')).toEqual({ serial: 'WD-NEW12345' });
    expect(answersFromReport(step, 'nothing useful')).toEqual({});
  });
  it('refuses a missing answer, a pattern mismatch and a serial the machine does not see', () => {
    const lookup = (n: string) => (n === 'seen' ? 'WD-NEW12345' : undefined);
    expect(validateAnswers(step, {}, lookup)).toBe('serial: an answer is needed');
    expect(validateAnswers(step, { serial: 'x' }, lookup)).toBe("serial: 'x' does not match ^[A-Z0-9-]{6,}$");
    expect(validateAnswers(step, { serial: 'WD-OTHER999' }, lookup)).toBe("serial: 'WD-OTHER999' is not what the machine sees ('WD-NEW12345')");
    expect(validateAnswers(step, { serial: 'WD-NEW12345' }, lookup)).toBeUndefined();
  });
});
