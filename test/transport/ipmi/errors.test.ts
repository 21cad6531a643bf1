/** ipmitool's stderr (as captured from ipmitool 1.8.19 against ipmi_sim) → one-line BmcErrors. */
import { describe, expect, it } from 'vitest';
import { bmcLabel, classifyIpmitool } from '../../../src/transport/ipmi/errors.js';

const ctx = { machine: 'eva', label: bmcLabel('eva', { driver: 'ipmitool', address: '192.0.2.5', port: 623 }), user: 'admin', op: 'chassis power' };

describe('classifyIpmitool', () => {
  it('labels the BMC by machine and address, port only when not 623', () => {
    expect(ctx.label).toBe('eva-bmc 192.0.2.5');
    expect(bmcLabel('eva', { driver: 'ipmitool', address: '127.0.0.1', port: 9623 })).toBe('eva-bmc 127.0.0.1:9623');
    expect(bmcLabel('eva', { driver: 'lab', address: 'x', port: 623 })).toBe('eva-bmc (lab)');
  });

  it('without a hint, says both possibilities in one line', () => {
    const e = classifyIpmitool({ exitCode: 1, stderr: 'Error: Unable to establish IPMI v2 / RMCP+ session\n' }, ctx)!;
    expect(e.message).toBe('eva-bmc 192.0.2.5: wrong BMC user or password, or no BMC answering (Unable to establish IPMI v2 / RMCP+ session)');
    expect(e.kind).toBe('auth');
    expect(e.machine).toBe('eva');
  });

  it('uses the -v hints: bad HMAC, unknown user, no answer', () => {
    const pw = classifyIpmitool({ exitCode: 1, stderr: 'Loading IANA PEN Registry...\n> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session\n' }, ctx)!;
    expect(pw.message).toBe('eva-bmc 192.0.2.5: wrong BMC password for user admin (RAKP 2 HMAC is invalid)');
    const user = classifyIpmitool({ exitCode: 1, stderr: 'RAKP 2 message indicates an error : unauthorized name\nError: Unable to establish IPMI v2 / RMCP+ session\n' }, ctx)!;
    expect(user.message).toBe("eva-bmc 192.0.2.5: the BMC has no user 'admin' (RAKP 2: unauthorized name)");
    const none = classifyIpmitool(
      { exitCode: 1, stderr: 'Get Auth Capabilities error\nError issuing Get Channel Authentication Capabilities request\nError: Unable to establish IPMI v2 / RMCP+ session\n' },
      ctx,
    )!;
    expect(none.reason).toBe('unreachable');
    expect(none.kind).toBe('unreachable');
  });

  it('privilege refusals, but not -v discovery chatter', () => {
    const e = classifyIpmitool({ exitCode: 1, stderr: 'Get HPM.x Capabilities request failed, compcode = d4\nSet Chassis Power Control to Down/Off failed: Insufficient privilege level\n' }, ctx)!;
    expect(e.message).toBe('eva-bmc 192.0.2.5: insufficient privilege for chassis power (user admin needs OPERATOR or ADMINISTRATOR)');
    // bootdev exits 0 even when refused
    expect(classifyIpmitool({ exitCode: 0, stderr: 'Set Chassis Boot Parameter 5 failed: Insufficient privilege level\n' }, ctx)?.reason).toBe('privilege');
    expect(classifyIpmitool({ exitCode: 0, stderr: 'Running Get VSO Capabilities my_addr 0x20, transit 0, target 0x20\nInvalid completion code received: Insufficient privilege level\n' }, ctx)).toBeUndefined();
  });

  it('other failures keep the informative line; timeouts say so', () => {
    const e = classifyIpmitool({ exitCode: 1, stderr: 'Get HPM.x Capabilities request failed, compcode = d4\nSet Chassis Power Control to Cycle failed: Command not supported in present state\n' }, ctx)!;
    expect(e.message).toBe('eva-bmc 192.0.2.5: chassis power failed: Set Chassis Power Control to Cycle failed: Command not supported in present state');
    expect(classifyIpmitool({ exitCode: undefined, stderr: '', timedOut: true, timeoutMs: 20_000 }, ctx)!.message).toBe('eva-bmc 192.0.2.5: BMC not answering (timeout after 20 s)');
    expect(classifyIpmitool({ exitCode: 1, stderr: 'Info: SOL payload already active on another session\n' }, { ...ctx, op: 'sol activate' })!.reason).toBe('busy');
  });
});
