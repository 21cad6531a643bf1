/** What every command module receives. */
export interface CliContext {
  /** Flag values (global and command). */
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Full command name, e.g. `config get`. */
  command: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export type CommandModule = { run(ctx: CliContext): Promise<number> };
