/**
 * The runbook format, validated with zod. Every field is documented in runbooks/README.md.
 * Strict objects: an unknown key is an error with its position, never silently ignored.
 */
import { z } from 'zod';

const duration = z.string().regex(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, 'a duration like 30s, 15m, 1h30m');
const text = z.string().min(1, 'non-empty text');
const id = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'an id of lowercase letters, digits, - and _ (starting with a letter)');

const paramBase = { doc: z.string().optional(), required: z.boolean().optional() };

export const ParamSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('host'), role: z.string().optional(), default: z.string().optional(), ...paramBase }),
  z.strictObject({ type: z.literal('hosts'), role: z.string().optional(), default: z.array(z.string()).optional(), ...paramBase }),
  z.strictObject({ type: z.literal('string'), pattern: z.string().optional(), default: z.string().optional(), ...paramBase }),
  z.strictObject({ type: z.literal('int'), min: z.number().int().optional(), max: z.number().int().optional(), default: z.number().int().optional(), ...paramBase }),
  z.strictObject({ type: z.literal('enum'), values: z.array(z.string()).min(1), default: z.string().optional(), ...paramBase }),
  z.strictObject({ type: z.literal('duration'), default: duration.optional(), ...paramBase }),
  z.strictObject({ type: z.literal('secret'), env: z.string().optional(), file: z.string().optional(), ...paramBase }),
]);
export type Param = z.infer<typeof ParamSchema>;

const IpmiSchema = z.union([
  z.strictObject({ power: z.enum(['status', 'on', 'off', 'cycle', 'reset', 'soft']) }),
  z.strictObject({ bootdev: z.enum(['pxe', 'disk', 'cdrom', 'bios']), persistent: z.boolean().optional() }),
  z.strictObject({ sel: z.enum(['list', 'clear']) }),
  z.strictObject({ sensor: z.literal('list') }),
]);

const ConsoleSchema = z.strictObject({
  /** Regex to wait for on the console (a login prompt, a panic…). */
  expect: z.string().optional(),
  /** Several patterns: the first that appears is captured as `matched`. */
  expect_any: z.record(z.string(), z.string()).optional(),
  /** Keys to send first (`\n` for Enter). */
  send: z.string().optional(),
  /** Also match the lines the console replays on attach (to read what the screen shows now). */
  scrollback: z.boolean().optional(),
  timeout: duration.optional(),
});

const WaitSchema = z.strictObject({
  until: text,
  every: duration.optional(),
  timeout: duration,
  /** Regex with one group capturing a percentage from the poll's output. */
  progress: z.string().optional(),
  /** Command whose output the progress regex reads (default: the until command). */
  status: z.string().optional(),
});

const AskSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'an answer name of lowercase letters, digits and _'), z.strictObject({ pattern: z.string().optional(), doc: z.string().optional(), equals: z.string().optional() }));

export const StepSchema = z
  .strictObject({
    id,
    title: z.string().optional(),
    doc: z.string().optional(),
    on: z.string().optional(),
    when: z.string().optional(),
    /** Local condition on the run's values, no machine needed: `{{matched}} == panic`. */
    if: z.string().optional(),
    run: z.string().optional(),
    ipmi: IpmiSchema.optional(),
    console: ConsoleSchema.optional(),
    manual: z.string().optional(),
    checklist: z.array(z.string()).optional(),
    /** The lab's equivalent of the physical action (`swap-disk {{host}} {{disk}}`), done by `--lab-hands`. */
    hands: z.string().optional(),
    ask: AskSchema.optional(),
    wait: WaitSchema.optional(),
    script: z.string().optional(),
    parallel: z.number().int().min(1).optional(),
    capture: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a capture name of lowercase letters, digits and _'), z.string()).optional(),
    verify: z.strictObject({ pre: z.string().optional(), post: z.string().optional() }).optional(),
    destructive: z.boolean().optional(),
    read_only: z.boolean().optional(),
    idempotent: z.boolean().optional(),
    timeout: duration.optional(),
    retries: z.number().int().min(0).max(1000).optional(),
    delay: duration.optional(),
    rollback: z.string().optional(),
    expect: duration.optional(),
    /** Host key handling after a reinstall: accept the machine's new key after typed confirmation. */
    accept_new_host_key: z.boolean().optional(),
  })
  .superRefine((s, ctx) => {
    const kinds = (['run', 'ipmi', 'console', 'manual', 'wait', 'script'] as const).filter((k) => s[k] !== undefined);
    if (kinds.length === 0 && !s.accept_new_host_key) ctx.addIssue({ code: 'custom', message: 'a step needs one of: run, ipmi, console, manual, wait, script', path: [] });
    if (kinds.length > 1) ctx.addIssue({ code: 'custom', message: `a step has one kind, not ${kinds.join(' and ')}`, path: [kinds[1]] });
    if ((s.run || s.ipmi || s.console || s.wait) && !s.on) ctx.addIssue({ code: 'custom', message: `a ${kinds[0]} step needs on: (which machine)`, path: [] });
    if ((s.checklist || s.ask || s.hands) && !s.manual) ctx.addIssue({ code: 'custom', message: 'checklist, ask and hands belong to a manual step', path: [s.checklist ? 'checklist' : s.ask ? 'ask' : 'hands'] });
    if (s.parallel && !s.run) ctx.addIssue({ code: 'custom', message: 'parallel applies to run steps', path: ['parallel'] });
  });
export type Step = z.infer<typeof StepSchema>;

export const RunbookSchema = z.strictObject({
  runbook: id,
  title: text,
  doc: z.string().optional(),
  budget: duration.optional(),
  on_failure: z.enum(['ask', 'rollback', 'stop']).optional(),
  /** Roles of the machines this runbook is for (offered from the machine view). */
  applies_to: z.array(z.string()).optional(),
  params: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a parameter name of lowercase letters, digits and _'), ParamSchema).optional(),
  /** Fixed values computed once, usable as {{name}} (may reference params). */
  vars: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  steps: z.array(StepSchema).min(1, 'at least one step'),
});
export type Runbook = z.infer<typeof RunbookSchema>;


export function stepKind(s: Step): 'run' | 'ipmi' | 'console' | 'manual' | 'wait' | 'script' | 'hostkey' {
  if (s.run !== undefined) return 'run';
  if (s.ipmi) return 'ipmi';
  if (s.console) return 'console';
  if (s.manual !== undefined) return 'manual';
  if (s.wait) return 'wait';
  if (s.script !== undefined) return 'script';
  return 'hostkey';
}
