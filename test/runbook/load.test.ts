import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../src/runbook/load.js';

const dir = join(import.meta.dirname, 'bad');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('bad runbooks', () => {
  it('has at least 30 broken runbooks', () => expect(files.length).toBeGreaterThanOrEqual(30));
  for (const f of files) {
    it(`${f} names file, line and column`, () => {
      const text = readFileSync(join(dir, f), 'utf8');
      const [, pos, msg] = /^# expect (\d+:\d+) (.*)$/m.exec(text)!;
      const [line, col] = pos.split(':').map(Number);
      // the comment line shifts every position by one
      const r = parseRunbook(text, `runbooks/${f}`);
      expect(r.runbook).toBeUndefined();
      const lines = r.problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`);
      expect(lines.some((l) => l.startsWith(`runbooks/${f}:${line + 1}:${col}: `) && l.includes(msg)), lines.join('\n')).toBe(true);
    });
  }
});
