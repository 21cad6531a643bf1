/** SHOW SLAVE/REPLICA STATUS and SHOW MASTER/BINARY LOG STATUS rows, per server flavor. */
import type { MysqlState } from '../../state.js';
import type { Cell, ResultSet } from './format.js';
import { extras } from './server.js';
import { gtidSeq } from './gtid.js';

type Replica = NonNullable<MysqlState['replica']>;

/** Binlog file and offset that a GTID position corresponds to in the lab. */
export function binlogCoords(my: MysqlState, pos: string): { file: string; pos: number } {
  const seq = gtidSeq(pos);
  const prefix = my.flavor === 'mysql' ? 'binlog' : 'mysql-bin';
  return { file: `${prefix}.${String(1 + Math.floor(seq / 10000)).padStart(6, '0')}`, pos: 328 + (seq % 10000) * 412 };
}

export function ioState(rep: Replica): 'Yes' | 'No' | 'Connecting' {
  if (!rep.ioRunning) return 'No';
  return rep.lastIoError ? 'Connecting' : 'Yes';
}

function errnoOf(text: string, fallback: number): number {
  return text ? fallback : 0;
}

export function mariadbSlaveStatus(my: MysqlState): ResultSet {
  const rep = my.replica;
  if (!rep) return { columns: [], rows: [] };
  const ex = extras(my);
  const io = ioState(rep);
  const read = binlogCoords(my, rep.gtidIoPos);
  const exec = binlogCoords(my, rep.gtidSlavePos);
  const fields: [string, Cell][] = [
    ['Slave_IO_State', io === 'Yes' ? 'Waiting for master to send event' : io === 'Connecting' ? 'Reconnecting after a failed master event read' : ''],
    ['Master_Host', rep.masterHost],
    ['Master_User', rep.masterUser],
    ['Master_Port', rep.masterPort],
    ['Connect_Retry', ex.connectRetry],
    ['Master_Log_File', read.file],
    ['Read_Master_Log_Pos', read.pos],
    ['Relay_Log_File', 'mysqld-relay-bin.000002'],
    ['Relay_Log_Pos', 555 + exec.pos % 1000],
    ['Relay_Master_Log_File', exec.file],
    ['Slave_IO_Running', io],
    ['Slave_SQL_Running', rep.sqlRunning ? 'Yes' : 'No'],
    ['Replicate_Rewrite_DB', ''],
    ['Replicate_Do_DB', ''],
    ['Replicate_Ignore_DB', ''],
    ['Replicate_Do_Table', ''],
    ['Replicate_Ignore_Table', ''],
    ['Replicate_Wild_Do_Table', ''],
    ['Replicate_Wild_Ignore_Table', ''],
    ['Last_Errno', errnoOf(rep.lastSqlError, ex.stickySqlError?.errno ?? 1062)],
    ['Last_Error', rep.lastSqlError],
    ['Skip_Counter', ex.skipCounter],
    ['Exec_Master_Log_Pos', exec.pos],
    ['Relay_Log_Space', 866 + read.pos % 1000],
    ['Until_Condition', 'None'],
    ['Until_Log_File', ''],
    ['Until_Log_Pos', 0],
    ['Master_SSL_Allowed', 'No'],
    ['Master_SSL_CA_File', ''],
    ['Master_SSL_CA_Path', ''],
    ['Master_SSL_Cert', ''],
    ['Master_SSL_Cipher', ''],
    ['Master_SSL_Key', ''],
    ['Seconds_Behind_Master', rep.secondsBehind],
    ['Master_SSL_Verify_Server_Cert', 'No'],
    ['Last_IO_Errno', errnoOf(rep.lastIoError, 2003)],
    ['Last_IO_Error', rep.lastIoError],
    ['Last_SQL_Errno', errnoOf(rep.lastSqlError, ex.stickySqlError?.errno ?? 1062)],
    ['Last_SQL_Error', rep.lastSqlError],
    ['Replicate_Ignore_Server_Ids', ''],
    ['Master_Server_Id', ex.masterServerId],
    ['Master_SSL_Crl', ''],
    ['Master_SSL_Crlpath', ''],
    ['Using_Gtid', ex.useGtid],
    ['Gtid_IO_Pos', rep.gtidIoPos],
    ['Replicate_Do_Domain_Ids', ''],
    ['Replicate_Ignore_Domain_Ids', ''],
    ['Parallel_Mode', 'optimistic'],
    ['SQL_Delay', 0],
    ['SQL_Remaining_Delay', null],
    ['Slave_SQL_Running_State', rep.sqlRunning ? 'Slave has read all relay log; waiting for more updates' : ''],
    ['Slave_DDL_Groups', gtidSeq(rep.gtidSlavePos) > 0 ? 2 : 0],
    ['Slave_Non_Transactional_Groups', 0],
    ['Slave_Transactional_Groups', Math.max(0, gtidSeq(rep.gtidSlavePos) - 2)],
  ];
  return { columns: fields.map((f) => f[0]), rows: [fields.map((f) => f[1])] };
}

export function mysqlReplicaStatus(my: MysqlState): ResultSet {
  const rep = my.replica;
  if (!rep) return { columns: [], rows: [] };
  const ex = extras(my);
  const io = ioState(rep);
  const read = binlogCoords(my, rep.gtidIoPos);
  const exec = binlogCoords(my, rep.gtidSlavePos);
  const fields: [string, Cell][] = [
    ['Replica_IO_State', io === 'Yes' ? 'Waiting for source to send event' : io === 'Connecting' ? 'Reconnecting after a failed source event read' : ''],
    ['Source_Host', rep.masterHost],
    ['Source_User', rep.masterUser],
    ['Source_Port', rep.masterPort],
    ['Connect_Retry', ex.connectRetry],
    ['Source_Log_File', read.file],
    ['Read_Source_Log_Pos', read.pos],
    ['Relay_Log_File', 'relay-bin.000002'],
    ['Relay_Log_Pos', 373 + exec.pos % 1000],
    ['Relay_Source_Log_File', exec.file],
    ['Replica_IO_Running', io],
    ['Replica_SQL_Running', rep.sqlRunning ? 'Yes' : 'No'],
    ['Replicate_Do_DB', ''],
    ['Replicate_Ignore_DB', ''],
    ['Replicate_Do_Table', ''],
    ['Replicate_Ignore_Table', ''],
    ['Replicate_Wild_Do_Table', ''],
    ['Replicate_Wild_Ignore_Table', ''],
    ['Last_Errno', errnoOf(rep.lastSqlError, ex.stickySqlError?.errno ?? 1062)],
    ['Last_Error', rep.lastSqlError],
    ['Skip_Counter', 0],
    ['Exec_Source_Log_Pos', exec.pos],
    ['Relay_Log_Space', 577 + read.pos % 1000],
    ['Until_Condition', 'None'],
    ['Until_Log_File', ''],
    ['Until_Log_Pos', 0],
    ['Source_SSL_Allowed', 'No'],
    ['Source_SSL_CA_File', ''],
    ['Source_SSL_CA_Path', ''],
    ['Source_SSL_Cert', ''],
    ['Source_SSL_Cipher', ''],
    ['Source_SSL_Key', ''],
    ['Seconds_Behind_Source', rep.secondsBehind],
    ['Source_SSL_Verify_Server_Cert', 'No'],
    ['Last_IO_Errno', errnoOf(rep.lastIoError, 2003)],
    ['Last_IO_Error', rep.lastIoError],
    ['Last_SQL_Errno', errnoOf(rep.lastSqlError, ex.stickySqlError?.errno ?? 1062)],
    ['Last_SQL_Error', rep.lastSqlError],
    ['Replicate_Ignore_Server_Ids', ''],
    ['Source_Server_Id', ex.masterServerId],
    ['Source_UUID', ''],
    ['Source_Info_File', 'mysql.slave_master_info'],
    ['SQL_Delay', 0],
    ['SQL_Remaining_Delay', null],
    ['Replica_SQL_Running_State', rep.sqlRunning ? 'Replica has read all relay log; waiting for more updates' : ''],
    ['Source_Retry_Count', 10],
    ['Source_Bind', ''],
    ['Last_IO_Error_Timestamp', ''],
    ['Last_SQL_Error_Timestamp', ''],
    ['Source_SSL_Crl', ''],
    ['Source_SSL_Crlpath', ''],
    ['Retrieved_Gtid_Set', rep.gtidIoPos],
    ['Executed_Gtid_Set', my.gtidBinlogPos],
    ['Auto_Position', 1],
    ['Replicate_Rewrite_DB', ''],
    ['Channel_Name', ''],
    ['Source_TLS_Version', ''],
    ['Source_public_key_path', ''],
    ['Get_Source_public_key', 0],
    ['Network_Namespace', ''],
  ];
  return { columns: fields.map((f) => f[0]), rows: [fields.map((f) => f[1])] };
}

export function masterStatus(my: MysqlState): ResultSet {
  const c = binlogCoords(my, my.gtidBinlogPos);
  if (my.flavor === 'mysql') {
    return { columns: ['File', 'Position', 'Binlog_Do_DB', 'Binlog_Ignore_DB', 'Executed_Gtid_Set'], rows: [[c.file, c.pos, '', '', my.gtidBinlogPos]] };
  }
  return { columns: ['File', 'Position', 'Binlog_Do_DB', 'Binlog_Ignore_DB'], rows: [[c.file, c.pos, '', '']] };
}
