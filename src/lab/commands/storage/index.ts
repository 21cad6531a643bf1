/** Storage commands of the lab: md RAID, partitioning, lsblk, SMART, ZFS, LEDs and boot tooling. */
import type { LabModule } from '../../shell/types.js';
import type { LabWorld } from '../../world.js';
import { grubInstall, proxmoxBootTool, updateInitramfs } from './boot.js';
import { ledctl } from './ledctl.js';
import { lsblk } from './lsblk.js';
import { finishMdRecoveries } from './md.js';
import { mdadm } from './mdadm.js';
import { mdstatText } from './mdstat.js';
import { partitionsText } from './partitions.js';
import { sfdisk } from './sfdisk.js';
import { sgdisk } from './sgdisk.js';
import { smartctl } from './smartctl.js';
import { finishResilvers } from './zfs.js';
import { zpool } from './zpool.js';

export { mdstatText, mdArrayText, recoveryLine } from './mdstat.js';
export { mdDetailText, mdTestStatus, mdState } from './mdadm.js';
export { recoveryProgress, startRecovery, finishMdRecoveries, MD_RECOVERY_SPEED_KPS } from './md.js';
export { sfdiskDump, parseSfdiskScript } from './sfdisk.js';
export { sgdiskPrint } from './sgdisk.js';
export { smartAttributes, SMART_EXIT } from './smartctl.js';
export { zpoolStatusText } from './zpool.js';
export { poolHealth, resilverProgress, finishResilvers, zfsNice, RESILVER_BPS } from './zfs.js';
export { failDisk, replaceDisk } from './faults.js';
export { hasBootloader, vfatUuid, bootUuids } from './esp.js';
export { byIdName, resolveBlock } from './devices.js';

/** Bring md recoveries and ZFS resilvers up to date with the lab clock. */
export function storageTicker(world: LabWorld): void {
  const now = world.now();
  for (const m of world.machines.values()) {
    finishMdRecoveries(m, now);
    finishResilvers(m, now);
  }
}

export const storage: LabModule = {
  commands: {
    mdadm,
    sfdisk,
    sgdisk,
    lsblk,
    smartctl,
    zpool,
    ledctl,
    'grub-install': grubInstall,
    'update-initramfs': updateInitramfs,
    'proxmox-boot-tool': proxmoxBootTool,
  },
  files: {
    '/proc/mdstat': (m, w) => mdstatText(m, w.now()),
    '/proc/partitions': (m) => partitionsText(m),
  },
  tickers: [storageTicker],
};
