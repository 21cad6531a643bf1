/** Proxmox VE tools of the lab: qm, pct, pvesh, ha-manager, vzdump, qmrestore, pvecm, pvesm, pveversion. */
import type { LabModule } from '../../shell/types.js';
import { haManager } from './haManager.js';
import { pveTicker } from './ha.js';
import { pct } from './pct.js';
import { pvecm } from './pvecm.js';
import { pvesh } from './pvesh.js';
import { pvesm, pveversion } from './pvesm.js';
import { qm } from './qm.js';
import { qmrestore } from './restore.js';
import { vzdump } from './vzdump.js';

export const pve: LabModule = {
  commands: {
    qm,
    pct,
    pvesh,
    'ha-manager': haManager,
    vzdump,
    qmrestore,
    pvecm,
    pvesm,
    pveversion,
  },
  tickers: [pveTicker],
};

export { clusterOf, nodeUp, memberOnline, quorumView, viewCluster, isPveHost } from './cluster.js';
export { failHypervisor, haStatus, haSid, FENCE_DELAY_MS } from './ha.js';
export { clusterResources, nodeStatus } from './api.js';
export { RESTORE_BPS } from './restore.js';
