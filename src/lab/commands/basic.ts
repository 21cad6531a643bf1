/**
 * Basic commands every lab machine answers: coreutils-like file and text tools, hostname,
 * uptime, date, uname, id. Implementations live in src/lab/shell/coreutils/.
 * reboot/poweroff belong to the power module, not here.
 */
import type { LabModule } from '../shell/types.js';
import { grep } from '../shell/coreutils/grep.js';
import { echo, printf } from '../shell/coreutils/print.js';
import { bracket, test } from '../shell/coreutils/test.js';
import { cat, head, tail, wc } from '../shell/coreutils/text.js';
import { ls, mkdir, rm, rmdir, touch } from '../shell/coreutils/fs.js';
import { seq } from '../shell/coreutils/seq.js';
import {
  date, falseCmd, hostname, id, makeEnv, pwd, sleep, sync, trueCmd, uname, uptime, whoami,
} from '../shell/coreutils/system.js';
import { COMMANDS } from './index.js';

export const basic: LabModule = {
  commands: {
    hostname,
    uptime,
    cat,
    grep,
    head,
    tail,
    wc,
    echo,
    printf,
    test,
    '[': bracket,
    true: trueCmd,
    false: falseCmd,
    ':': trueCmd,
    sleep,
    date,
    uname,
    whoami,
    id,
    mkdir,
    rm,
    rmdir,
    ls,
    touch,
    sync,
    // COMMANDS is read when env runs, not here (import cycle through index.ts).
    env: makeEnv(() => COMMANDS),
    pwd,
    seq,
  },
};
