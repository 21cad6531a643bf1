#!/usr/bin/env zx
// Prints the CLI reference (Markdown) from the command table, for README.md.
// Usage: npx zx scripts/cli-reference.mjs   (after npm install, which builds dist/)
import { COMMANDS, GLOBAL_FLAGS } from '../dist/cli/table.js';

const flag = (n, f) => `\`${f.short ? `-${f.short}, ` : ''}--${n}${f.arg ? ` ${f.arg}` : ''}\` ${f.help}`;
const out = ['| command | what it does | flags |', '|---|---|---|'];
for (const c of COMMANDS) {
  const flags = Object.entries(c.flags).map(([n, f]) => flag(n, f)).join('<br>');
  out.push(`| \`baie ${c.name}${c.args ? ` ${c.args}` : ''}\` | ${c.summary} | ${flags} |`);
}
out.push('', 'Global flags: ' + Object.entries(GLOBAL_FLAGS).map(([n, f]) => flag(n, f)).join('; ') + '.');
console.log(out.join('\n'));
