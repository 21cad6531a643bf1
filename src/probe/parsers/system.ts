/** /proc/loadavg, /proc/uptime, `systemctl is-active A B …`, MySQL replica status. */
import type { ReplicationInfo, ServiceState } from '../types.js';

export function parseLoadavg(text: string): [number, number, number] | undefined {
  const m = /^([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function parseProcUptime(text: string): number | undefined {
  const m = /^([\d.]+)/.exec(text.trim());
  return m ? Math.floor(Number(m[1])) : undefined;
}

/** systemctl prints one state per unit, in the order asked. */
export function parseIsActive(names: string[], text: string): ServiceState[] {
  const states = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return names.map((name, i) => ({ name, state: states[i] ?? 'unknown' }));
}

/** `SHOW SLAVE STATUS\G` (MariaDB) or `SHOW REPLICA STATUS\G` (MySQL 8.4). Empty → not a replica (null). */
export function parseReplicaStatus(text: string): ReplicationInfo | null {
  if (!/\*+ 1\. row \*+/.test(text)) return null;
  const f = (...names: string[]) => {
    for (const n of names) {
      const m = new RegExp(`^[ \\t]*${n}:[ \\t]*(.*)$`, 'm').exec(text);
      if (m) return m[1].trim();
    }
    return undefined;
  };
  const behind = f('Seconds_Behind_Master', 'Seconds_Behind_Source');
  return {
    ioRunning: f('Slave_IO_Running', 'Replica_IO_Running') ?? '?',
    sqlRunning: f('Slave_SQL_Running', 'Replica_SQL_Running') ?? '?',
    secondsBehind: behind === undefined || behind === 'NULL' || behind === '' ? null : Number(behind),
    lastIoError: f('Last_IO_Error') || undefined,
    lastSqlError: f('Last_SQL_Error') || undefined,
    masterHost: f('Master_Host', 'Source_Host'),
    gtidIoPos: f('Gtid_IO_Pos', 'Retrieved_Gtid_Set'),
    usingGtid: f('Using_Gtid', 'Auto_Position'),
  };
}
