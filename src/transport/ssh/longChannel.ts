/** Opening an exec channel that stays open, for a caller that talks to its command (persistent shells). */
import type { Client, ClientChannel } from 'ssh2';
import type { ChannelOpenError } from './exec.js';

/** A long-lived exec channel opened by `SshPool.openChannel`. */
export interface OpenedChannel {
  client: Client;
  channel: ClientChannel;
  /** How a cancel must stop what runs in it (see `SshPoolOptions.killVia`). */
  killVia: 'marker' | 'signal';
}

/**
 * Opens `command` (given the kill mode) on `client`. Rejects with a ChannelOpenError when it could
 * not be opened (refused, or the connection dropped meanwhile); resolves undefined when `signal`
 * aborts first (a channel that opens later is closed). `release` is called once the channel closes,
 * or at once when nothing was opened.
 */
export function openLongChannel(
  client: Client,
  command: (killVia: 'marker' | 'signal') => string,
  killVia: 'marker' | 'signal',
  signal: AbortSignal,
  release: () => void,
): Promise<OpenedChannel | undefined> {
  return new Promise<OpenedChannel | undefined>((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      client.removeListener('close', onDrop);
      signal.removeEventListener('abort', onAbort);
      return true;
    };
    const notStarted = (error: Error): void => {
      if (settle()) reject({ notStarted: true, error } satisfies ChannelOpenError);
    };
    const onDrop = (): void => notStarted(new Error('connection closed'));
    const onAbort = (): void => {
      if (!settle()) return;
      release();
      resolve(undefined);
    };
    client.once('close', onDrop);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      client.exec(command(killVia), (e, channel) => {
        if (e) return notStarted(e);
        channel.once('close', release);
        if (settle()) resolve({ client, channel, killVia });
        else channel.close(); // given up on meanwhile
      });
    } catch (e) {
      notStarted(e as Error);
    }
  });
}
