/**
 * Exec commands that start a shell reading its commands from the channel, as `sh` does on a real
 * machine when given no script (`sh`, `sh -s`, `bash -s`) or a script that is the channel itself
 * (`exec sh /dev/fd/3 3<&0 </dev/null`: baie's persistent shells, see
 * src/transport/ssh/shellFraming.ts). The lab then runs each line it receives, with empty stdin.
 */
const STDIN_SHELL =
  /^(?:exec\s+)?(?:\/usr)?(?:\/bin\/)?(?:sh|bash|dash)(?:\s+-s|\s+\/dev\/stdin|\s+\/dev\/fd\/(\d)\s+\1<&0(?:\s+0?<\s*\/dev\/null)?)?$/;

export function readsCommandsFromChannel(command: string): boolean {
  return STDIN_SHELL.test(command.trim());
}
