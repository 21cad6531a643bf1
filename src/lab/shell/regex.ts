/** POSIX basic/extended regular expressions (GNU flavour) → JavaScript RegExp source. */

const CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
};

/** Copy a bracket expression starting at `i` (`[`); returns [js, next index]. */
function bracket(re: string, i: number): [string, number] {
  let j = i + 1;
  let js = '[';
  if (re[j] === '^') {
    js += '^';
    j++;
  }
  if (re[j] === ']') {
    js += '\\]';
    j++;
  }
  for (; j < re.length; j++) {
    const c = re[j];
    if (c === ']') return [js + ']', j + 1];
    if (c === '[' && re[j + 1] === ':') {
      const end = re.indexOf(':]', j + 2);
      const name = end < 0 ? '' : re.slice(j + 2, end);
      if (Object.hasOwn(CLASSES, name)) {
        js += CLASSES[name];
        j = end + 1;
        continue;
      }
    }
    // Inside brackets a backslash is literal in POSIX.
    if (c === '\\' || c === '[') js += '\\' + c;
    else js += c;
  }
  throw new SyntaxError('Unmatched [, [^, [:, [., or [=');
}

/**
 * Translate a POSIX regex. In BRE, `\( \) \{ \} \| \+ \?` are the operators and the bare
 * characters are literal; in ERE it is the other way round. GNU escapes (\w \s \b \< \>) work.
 */
export function posixToJs(re: string, extended: boolean): string {
  let js = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '[') {
      const [part, next] = bracket(re, i);
      js += part;
      i = next - 1;
      continue;
    }
    if (c === '\\' && i + 1 < re.length) {
      const n = re[++i];
      if (n === '<' || n === '>') js += '\\b';
      else if ('(){}|+?'.includes(n)) js += extended ? '\\' + n : n;
      else if ('wWsSbB.*[]^$\\/'.includes(n) || /\d/.test(n)) js += '\\' + n;
      else js += n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      continue;
    }
    if (!extended && '(){}|+?'.includes(c)) {
      js += '\\' + c;
      continue;
    }
    if (c === '*' && (js === '' || js.endsWith('(') || js.endsWith('|') || js === '^')) {
      js += '\\*';
      continue;
    }
    if (c === '/') {
      js += '\\/';
      continue;
    }
    js += c;
  }
  return js;
}

/** A literal string as a JS regex source (grep -F). */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
