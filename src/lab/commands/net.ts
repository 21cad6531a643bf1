/** Network commands of the lab machines: ip, ipvsadm, curl, ping. */
import type { LabModule } from '../shell/types.js';
import { curl } from './netlib/curl.js';
import { ip } from './netlib/ipcmd.js';
import { ipvsadm } from './netlib/ipvsadm.js';
import { ping } from './netlib/ping.js';

export { vipHolder, addrHolders, answers } from './netlib/addr.js';
export { tcpConnect } from './netlib/health.js';
export { vrrpState, keepalivedConfig } from './netlib/keepalived.js';

export const net: LabModule = { commands: { ip, ipvsadm, curl, ping } };
