import { describe, expect, it } from 'vitest';
import { makeWorld } from './fixture.js';
import { breakReplicaSql, crashMysqlPrimary } from '../../../src/lab/commands/mysql.js';
import { powerOff } from '../../../src/lab/power.js';

/** `Name: value` pairs of a \G output. */
function fields(out: string): Record<string, string> {
  const rec: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^\s*(\w+): (.*)$/.exec(line);
    if (m) rec[m[1]] = m[2];
  }
  return rec;
}

describe('mysql client basics', () => {
  it('prints tab-separated results with a header; -N / -ss drop it', async () => {
    const t = makeWorld();
    expect(await t.run('elodie', ['mysql', '-e', 'SELECT @@read_only'])).toEqual({ code: 0, out: '@@read_only\n1\n', err: '' });
    expect((await t.run('elodie', ['mysql', '-N', '-B', '-e', 'SELECT @@read_only, @@server_id'])).out).toBe('1\t2\n');
    expect((await t.run('elea', ['mysql', '-sse', 'SELECT @@gtid_binlog_pos'])).out).toBe('0-1-7\n');
    expect((await t.run('elea', ['mysql', '-u', 'root', '-t', '-e', 'SELECT @@server_id'])).out).toBe('+-------------+\n| @@server_id |\n+-------------+\n|           1 |\n+-------------+\n');
  });

  it('reads SQL from stdin and reports errors with their line', async () => {
    const t = makeWorld();
    const r = await t.run('elea', ['mysql', '-N'], 'SELECT 1;\nSELECT @@nosuch;\nSELECT 2;\n');
    expect(r.out).toBe('1\n');
    expect(r.err).toBe("ERROR 1193 (HY000) at line 2: Unknown system variable 'nosuch'\n");
    expect(r.code).toBe(1);
  });

  it('a server that is down answers ERROR 2002 on the socket', async () => {
    const t = makeWorld();
    crashMysqlPrimary(t.world, t.m('elea'));
    const r = await t.run('elea', ['mysql', '-e', 'SELECT 1']);
    expect(r).toEqual({ code: 1, out: '', err: "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (111)\n" });
    expect((await t.run('elea', ['systemctl', 'is-active', 'mariadb'])).out).toBe('failed\n');
    const remote = await t.run('elodie', ['mysql', '-h', '192.0.2.31', '-e', 'SELECT 1']);
    expect(remote.err).toBe("ERROR 2002 (HY000): Can't connect to server on '192.0.2.31' (111)\n");
  });
});

describe('status statements', () => {
  it('SHOW MASTER STATUS and SHOW VARIABLES LIKE', async () => {
    const t = makeWorld();
    expect((await t.run('elea', ['mysql', '-e', 'SHOW MASTER STATUS'])).out).toMatch(/^File\tPosition\tBinlog_Do_DB\tBinlog_Ignore_DB\nmysql-bin\.\d{6}\t\d+\t\t\n$/);
    expect((await t.run('elodie', ['mysql', '-N', '-e', "SHOW VARIABLES LIKE 'read_only'"])).out).toBe('read_only\tON\n');
    expect((await t.run('elodie', ['mysql', '-E', '-e', 'SELECT @@server_id AS id'])).out).toBe('*************************** 1. row ***************************\nid: 2\n');
  });
});

describe('MariaDB replication', () => {
  it('SHOW SLAVE STATUS\\G on a healthy replica', async () => {
    const t = makeWorld();
    const r = await t.run('elodie', ['mysql', '-e', 'SHOW SLAVE STATUS\\G']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('*************************** 1. row ***************************');
    expect(r.out).toMatch(/^                Slave_IO_State: Waiting for master to send event$/m);
    expect(r.out).toMatch(/^Slave_Non_Transactional_Groups: 0$/m);
    const f = fields(r.out);
    expect(f).toMatchObject({
      Master_Host: '192.0.2.31',
      Master_User: 'repl',
      Slave_IO_Running: 'Yes',
      Slave_SQL_Running: 'Yes',
      Seconds_Behind_Master: '0',
      Last_IO_Error: '',
      Using_Gtid: 'Slave_Pos',
      Gtid_IO_Pos: '0-1-7',
    });
    expect((await t.run('elodie', ['mysql', '-e', 'SHOW REPLICA STATUS\\G'])).out).toBe(r.out);
    expect(await t.run('elea', ['mysql', '-e', 'SHOW SLAVE STATUS\\G'])).toEqual({ code: 0, out: '', err: '' });
  });

  it('writes on the primary reach the replica; read_only refuses them on the replica', async () => {
    const t = makeWorld();
    const w = await t.run('elea', ['mysql', '-e', 'CREATE DATABASE IF NOT EXISTS baie_check; CREATE TABLE IF NOT EXISTS baie_check.t (id INT PRIMARY KEY, at DATETIME); REPLACE INTO baie_check.t VALUES (1, NOW())']);
    expect(w).toEqual({ code: 0, out: '', err: '' });
    expect(t.m('elea').mysql!.gtidBinlogPos).toBe('0-1-10');
    expect((await t.run('elodie', ['mysql', '-N', '-e', 'SELECT @@gtid_slave_pos'])).out).toBe('0-1-10\n');
    const ro = await t.run('elodie', ['mysql', '-e', 'CREATE DATABASE IF NOT EXISTS baie_check; INSERT INTO baie_check.t VALUES (2, NOW())']);
    expect(ro.code).toBe(1);
    expect(ro.err).toBe('ERROR 1290 (HY000) at line 1: The MariaDB server is running with the --read-only option so it cannot execute this statement\n');
  });

  it('when the primary dies the IO thread reconnects and lag is NULL', async () => {
    const t = makeWorld();
    powerOff(t.world, t.m('elea'));
    t.advance(1000);
    const f = fields((await t.run('elodie', ['mysql', '-e', 'SHOW SLAVE STATUS\\G'])).out);
    expect(f.Slave_IO_Running).toBe('Connecting');
    expect(f.Slave_SQL_Running).toBe('Yes');
    expect(f.Seconds_Behind_Master).toBe('NULL');
    expect(f.Last_IO_Errno).toBe('2003');
    expect(f.Last_IO_Error).toMatch(/^error reconnecting to master 'repl@192\.0\.2\.31:3306' - retry-time: 60  maximum-retries: 100000  message: Can't connect to server on '192\.0\.2\.31' \(113 "No route to host"\)$/);
  });

  it('promotion: read_only on the old primary, MASTER_GTID_WAIT, STOP/RESET SLAVE ALL, read_only=0', async () => {
    const t = makeWorld();
    await t.run('elea', ['mysql', '-e', 'CREATE DATABASE app']);
    expect((await t.run('elea', ['mysql', '-e', 'SET GLOBAL read_only=1; SELECT @@gtid_binlog_pos'])).out).toBe('@@gtid_binlog_pos\n0-1-8\n');
    const wait = await t.run('elodie', ['mysql', '-N', '-e', "SELECT MASTER_GTID_WAIT('0-1-8', 30)"]);
    expect(wait).toEqual({ code: 0, out: '0\n', err: '' });
    expect(await t.run('elodie', ['mysql', '-e', 'STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=0'])).toEqual({ code: 0, out: '', err: '' });
    expect((await t.run('elodie', ['mysql', '-e', 'SHOW SLAVE STATUS\\G'])).out).toBe('');
    expect((await t.run('elodie', ['mysql', '-N', '-e', 'SELECT @@read_only'])).out).toBe('0\n');
    expect((await t.run('elodie', ['mysql', '-e', 'CREATE DATABASE IF NOT EXISTS baie_check'])).code).toBe(0);
    expect(t.m('elodie').mysql!.gtidBinlogPos).toBe('0-2-9');
    // The old primary follows the new one.
    const back = await t.run('elea', ['mysql', '-e', "CHANGE MASTER TO MASTER_HOST='192.0.2.32', MASTER_USER='repl', MASTER_PASSWORD='x', MASTER_USE_GTID=current_pos; START SLAVE"]);
    expect(back).toEqual({ code: 0, out: '', err: '' });
    const f = fields((await t.run('elea', ['mysql', '-e', 'SHOW SLAVE STATUS\\G'])).out);
    expect(f).toMatchObject({ Master_Host: '192.0.2.32', Slave_IO_Running: 'Yes', Using_Gtid: 'Current_Pos', Gtid_IO_Pos: '0-2-9' });
    expect(JSON.stringify(f)).not.toContain("'x'");
  });

  it('MASTER_GTID_WAIT times out after the lab-time wait with -1', async () => {
    const t = makeWorld();
    powerOff(t.world, t.m('elea'));
    const before = t.world.now();
    const r = await t.run('elodie', ['mysql', '-N', '-e', "SELECT MASTER_GTID_WAIT('0-1-9', 2)"]);
    expect(r.out).toBe('-1\n');
    expect(t.world.now() - before).toBeGreaterThanOrEqual(2000);
  });

  it('replication statements refused while threads run; START SLAVE without a master', async () => {
    const t = makeWorld();
    const c = await t.run('elodie', ['mysql', '-e', "CHANGE MASTER TO MASTER_HOST='192.0.2.99'"]);
    expect(c.err).toBe("ERROR 1198 (HY000) at line 1: This operation cannot be performed as you have a running slave ''; run STOP SLAVE '' first\n");
    const s = await t.run('elea', ['mysql', '-e', 'START SLAVE']);
    expect(s.err).toBe('ERROR 1200 (HY000) at line 1: Misconfigured slave: MASTER_HOST was not set; Fix in config file or with CHANGE MASTER TO\n');
  });

  it('a broken SQL thread shows its error until the event is skipped', async () => {
    const t = makeWorld();
    breakReplicaSql(t.world, t.m('elodie'));
    let f = fields((await t.run('elodie', ['mysql', '-e', 'SHOW SLAVE STATUS\\G'])).out);
    expect(f.Slave_SQL_Running).toBe('No');
    expect(f.Last_SQL_Errno).toBe('1062');
    expect(f.Seconds_Behind_Master).toBe('NULL');
    await t.run('elodie', ['mysql', '-e', 'STOP SLAVE; START SLAVE']);
    expect(fields((await t.run('elodie', ['mysql', '-e', 'SHOW SLAVE STATUS\\G'])).out).Slave_SQL_Running).toBe('No');
    await t.run('elodie', ['mysql', '-e', 'STOP SLAVE; SET GLOBAL sql_slave_skip_counter=1; START SLAVE']);
    f = fields((await t.run('elodie', ['mysql', '-e', 'SHOW SLAVE STATUS\\G'])).out);
    expect(f.Slave_SQL_Running).toBe('Yes');
    expect(f.Last_SQL_Error).toBe('');
  });
});

describe('MySQL 8.4', () => {
  it('uses REPLICA/SOURCE names and rejects the SLAVE/MASTER words', async () => {
    const t = makeWorld({ conf: true, mysql84: true });
    const r = await t.run('elodie', ['mysql', '-e', 'SHOW REPLICA STATUS\\G']);
    const f = fields(r.out);
    expect(f).toMatchObject({ Source_Host: '192.0.2.31', Replica_IO_Running: 'Yes', Replica_SQL_Running: 'Yes', Seconds_Behind_Source: '0' });
    expect(r.out).toMatch(/^Source_SSL_Verify_Server_Cert: No$/m);
    const old = await t.run('elodie', ['mysql', '-e', 'SHOW SLAVE STATUS\\G']);
    expect(old.code).toBe(1);
    expect(old.err).toBe("ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SLAVE STATUS' at line 1\n");
    expect((await t.run('elodie', ['mysql', '-e', 'STOP SLAVE'])).err).toMatch(/near 'SLAVE' at line 1/);
    expect((await t.run('elodie', ['mysql', '-e', 'SELECT @@gtid_binlog_pos'])).err).toBe("ERROR 1193 (HY000) at line 1: Unknown system variable 'gtid_binlog_pos'\n");
    expect((await t.run('elodie', ['mysql', '-e', "SELECT MASTER_GTID_WAIT('0-1-7', 1)"])).err).toBe('ERROR 1305 (42000) at line 1: FUNCTION MASTER_GTID_WAIT does not exist\n');
    expect(await t.run('elodie', ['mysql', '-e', 'STOP REPLICA; RESET REPLICA ALL; SET GLOBAL read_only=OFF'])).toEqual({ code: 0, out: '', err: '' });
    expect((await t.run('elodie', ['mysql', '-e', 'SHOW REPLICA STATUS\\G'])).out).toBe('');
    const ch = await t.run('elea', ['mysql', '-e', "CHANGE REPLICATION SOURCE TO SOURCE_HOST='192.0.2.32', SOURCE_USER='repl', SOURCE_AUTO_POSITION=1; START REPLICA"]);
    expect(ch).toEqual({ code: 0, out: '', err: '' });
    expect(fields((await t.run('elea', ['mysql', '-e', 'SHOW REPLICA STATUS\\G'])).out).Replica_IO_Running).toBe('Yes');
  });

  it('MariaDB refuses CHANGE REPLICATION SOURCE', async () => {
    const t = makeWorld();
    const r = await t.run('elodie', ['mysql', '-e', "CHANGE REPLICATION SOURCE TO SOURCE_HOST='x'"]);
    expect(r.err).toMatch(/^ERROR 1064 \(42000\) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'REPLICATION SOURCE TO/);
  });
});
