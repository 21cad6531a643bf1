/** From a path in the parsed data back to the YAML node, and from a node to line:col. */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';

export type PathKey = string | number;

export interface Located {
  /** The key node when the last path step is a mapping key. */
  key?: Node;
  /** The value node, when present in the file. */
  value?: Node;
  /** How many path steps were found (the rest does not exist in the file). */
  depth: number;
}

function deref(doc: Document, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 8 && isAlias(n); i++) n = n.resolve(doc);
  return n;
}

export function keyText(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return k.value === null ? '' : String(k.value);
  if (k === null || k === undefined) return '';
  if (typeof k === 'string' || typeof k === 'number') return String(k);
  return undefined;
}

/** Walk `path` from the document root; the last matching pair wins, as in toJS(). */
export function locate(doc: Document, path: readonly PathKey[]): Located {
  let node = deref(doc, doc.contents);
  let found: Located = { value: (node as Node) ?? undefined, depth: 0 };
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (isMap(node)) {
      let hit: Pair | undefined;
      for (const p of node.items) if (keyText(p) === String(step)) hit = p;
      if (!hit) return found;
      const value = deref(doc, hit.value);
      found = { key: (hit.key as Node) ?? undefined, value: (value as Node) ?? undefined, depth: i + 1 };
      node = value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (item === undefined) return found;
      const value = deref(doc, item);
      found = { value: (value as Node) ?? undefined, depth: i + 1 };
      node = value;
    } else {
      return found;
    }
  }
  return found;
}

/** The key node of `key` inside the mapping at `path`. */
export function locateKey(doc: Document, path: readonly PathKey[], key: string): Node | undefined {
  const map = locate(doc, path);
  const node = map.depth === path.length ? map.value : undefined;
  if (!isMap(node)) return undefined;
  let hit: Node | undefined;
  for (const p of node.items) if (keyText(p) === key) hit = (p.key as Node) ?? undefined;
  return hit;
}

export interface Pos {
  line: number;
  col: number;
}

export function posOf(lc: LineCounter, offset: number): Pos {
  const { line, col } = lc.linePos(Math.max(0, offset));
  return { line, col };
}

export function nodePos(lc: LineCounter, node: Node | undefined | null): Pos {
  const start = node?.range?.[0];
  return start === undefined ? { line: 1, col: 1 } : posOf(lc, start);
}

/**
 * Position for a problem about `path`: the value node when it exists (or its key when the value
 * is empty), else the deepest ancestor found (its key, so `eva:` for a missing `eva.u`).
 */
export function pathPos(doc: Document, lc: LineCounter, path: readonly PathKey[], prefer: 'value' | 'key' = 'value'): Pos {
  const l = locate(doc, path);
  if (l.depth === path.length) {
    const valueHasRange = l.value && l.value.range && !(isScalar(l.value) && l.value.value === null && l.key);
    if (prefer === 'key' && l.key) return nodePos(lc, l.key);
    return nodePos(lc, valueHasRange ? l.value : (l.key ?? l.value));
  }
  return nodePos(lc, l.key ?? l.value);
}

/** Every duplicate key in every mapping of the document: the later pair, and the first one. */
export function duplicateKeys(doc: Document): { path: PathKey[]; key: string; first: Node; dup: Node }[] {
  const out: { path: PathKey[]; key: string; first: Node; dup: Node }[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: PathKey[], depth: number): void => {
    if (depth > 64 || !node || seen.has(node)) return;
    seen.add(node);
    if (isMap(node)) {
      const firsts = new Map<string, Node>();
      for (const p of node.items) {
        const k = keyText(p);
        if (k !== undefined) {
          const prev = firsts.get(k);
          if (prev) out.push({ path, key: k, first: prev, dup: p.key as Node });
          else firsts.set(k, p.key as Node);
        }
        walk(p.value, k === undefined ? path : [...path, k], depth + 1);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i], depth + 1));
    }
  };
  walk(doc.contents, [], 0);
  return out;
}
