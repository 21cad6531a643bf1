/** What `SshPool.stats()` reports: its connections, per host. */

export interface SshHostStats {
  /** Connection key: the hop chain, e.g. `gw=root@10.0.0.1:22>ella=root@10.0.0.5:22`. */
  key: string;
  /** Machine name (last hop). */
  name: string;
  state: 'down' | 'connecting' | 'ready';
  /** Successful connects so far (1 = never reconnected). */
  connects: number;
  /** Sessions (exec/pty) running now, and waiting for a free session. */
  active: number;
  queued: number;
  /** Name of the jump host this connection goes through. */
  via?: string;
  lastError?: string;
}

export interface SshPoolStats {
  /** Connections currently established. */
  connections: number;
  /** Successful connects since the pool was made (all hosts). */
  connects: number;
  hosts: SshHostStats[];
}
