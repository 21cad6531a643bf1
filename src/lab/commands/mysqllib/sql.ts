/** What a lab SQL statement returns, and the small helpers every statement uses. */
import type { LabMachine, MysqlState } from '../../state.js';
import type { LabWorld } from '../../world.js';
import type { Cell, ResultSet } from './format.js';
import { unquote } from './split.js';

export interface SqlError {
  code: number;
  state: string;
  message: string;
}

export type StmtResult = { rs?: ResultSet; error?: undefined } | { error: SqlError };

export interface Session {
  world: LabWorld;
  /** The machine the server runs on. */
  server: LabMachine;
  my: MysqlState;
  db?: string;
  user: string;
  /** Wait lab time (rejects when the client is interrupted). */
  sleep(labMs: number): Promise<void>;
}

export const fail = (code: number, state: string, message: string): StmtResult => ({ error: { code, state, message } });

export function syntaxError(my: MysqlState, near: string): StmtResult {
  const product = my.flavor === 'mysql' ? 'MySQL' : 'MariaDB';
  return fail(1064, '42000', `You have an error in your SQL syntax; check the manual that corresponds to your ${product} server version for the right syntax to use near '${near.slice(0, 80)}' at line 1`);
}

/** Text of `stmt` from the first occurrence of `word` (for syntax error "near" text). */
export function nearFrom(text: string, word: RegExp): string {
  const m = word.exec(text);
  return m ? text.slice(m.index) : text;
}

export function rs(columns: string[], rows: Cell[][]): StmtResult {
  return { rs: { columns, rows } };
}

export function boolValue(v: string): 0 | 1 | undefined {
  const t = unquote(v).toUpperCase();
  if (t === '1' || t === 'ON' || t === 'TRUE') return 1;
  if (t === '0' || t === 'OFF' || t === 'FALSE') return 0;
  return undefined;
}

