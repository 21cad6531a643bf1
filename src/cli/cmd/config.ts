import type { CliContext } from '../context.js';
import { UserError } from '../errors.js';
import { DEFAULTS, SETTING_HELP, isSettingKey, loadSettings, parseSettingValue, settingsStore } from '../../app/settings.js';

export async function run(ctx: CliContext): Promise<number> {
  const sub = ctx.command.split(' ')[1];
  const [key, value] = ctx.positionals;
  const need = (k: string | undefined): keyof typeof DEFAULTS => {
    if (!k) throw new UserError(`config ${sub} needs a KEY: ${Object.keys(DEFAULTS).join(', ')}`);
    if (!isSettingKey(k)) throw new UserError(`unknown setting '${k}' (known: ${Object.keys(DEFAULTS).join(', ')})`);
    return k;
  };
  const show = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));
  switch (sub) {
    case 'path':
      ctx.stdout.write((await settingsStore()).path + '\n');
      return 0;
    case 'get': {
      const k = need(key);
      ctx.stdout.write(show(loadSettings()[k]) + '\n');
      return 0;
    }
    case 'set': {
      const k = need(key);
      if (value === undefined) throw new UserError(`config set ${k} needs a VALUE`);
      let parsed;
      try {
        parsed = parseSettingValue(k, value);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      (await settingsStore()).set(k, parsed as never);
      return 0;
    }
    case 'unset': {
      const k = need(key);
      (await settingsStore()).delete(k);
      return 0;
    }
    case 'list': {
      const s = loadSettings();
      if (ctx.flags.json) {
        ctx.stdout.write(JSON.stringify(s, null, 2) + '\n');
        return 0;
      }
      for (const k of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
        ctx.stdout.write(`${k.padEnd(15)} ${show(s[k]).padEnd(24)} # ${SETTING_HELP[k]}\n`);
      }
      return 0;
    }
  }
  throw new UserError(`unknown config subcommand '${sub}'`);
}
