import { describe, expect, it } from 'vitest';
import { evalCondition } from '../../src/runbook/condition.js';

describe('if: conditions', () => {
  it('compares, tests for a value, and negates', () => {
    expect(evalCondition('panic == panic')).toBe(true);
    expect(evalCondition(' panic  ==  login ')).toBe(false);
    expect(evalCondition('mariadb != mysql')).toBe(true);
    expect(evalCondition('degraded')).toBe(true);
    expect(evalCondition('')).toBe(false);
    expect(evalCondition('0')).toBe(false);
    expect(evalCondition('not ')).toBe(true);
    expect(evalCondition('not x == x')).toBe(false);
  });
});
