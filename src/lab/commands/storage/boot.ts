/** Boot tooling: `grub-install DISK`, `update-initramfs -u`, `proxmox-boot-tool format|init|status|refresh|clean`. */
import type { CmdContext } from '../../shell/types.js';
import type { LabMachine } from '../../state.js';
import { kernelRelease, presentDisk, resolveBlock, stripDev } from './devices.js';
import { BIOS_BOOT_TYPE, EFI_TYPE } from './gpt.js';
import { BOOT_UUIDS, bootUuids, makeVfat, partitionByVfat, setBootloader, uefiBooted, vfatUuid } from './esp.js';

export function grubInstall(ctx: CmdContext): number {
  const m = ctx.machine;
  const args = ctx.argv.slice(1);
  const target = args.find((a) => a.startsWith('--target='))?.slice('--target='.length) ?? (uefiBooted(m) ? 'x86_64-efi' : 'i386-pc');
  const paths = args.filter((a) => !a.startsWith('-'));
  if (target !== 'i386-pc' && target !== 'x86_64-efi') {
    ctx.err(`grub-install: error: ${target} doesn't exist. Please specify --target or --directory.\n`);
    return 1;
  }
  if (target === 'x86_64-efi') {
    ctx.out('Installing for x86_64-efi platform.\n');
    ctx.out('Installation finished. No error reported.\n');
    return 0;
  }
  const path = paths[0];
  if (!path) {
    ctx.out('Installing for i386-pc platform.\n');
    ctx.err('grub-install: error: install device isn\'t specified.\n');
    return 1;
  }
  const d = presentDisk(m, stripDev(path));
  if (!d) {
    ctx.out('Installing for i386-pc platform.\n');
    ctx.err(`grub-install: error: cannot find a GRUB drive for ${path}.  Check your device.map.\n`);
    return 1;
  }
  ctx.out('Installing for i386-pc platform.\n');
  if (d.failed) {
    ctx.err(`grub-install: error: cannot read \`${path}': Input/output error.\n`);
    return 1;
  }
  if (!d.label) {
    ctx.err(`grub-install: error: unable to identify a filesystem in hostdisk/${path}; safety check can't be performed.\n`);
    return 1;
  }
  if (!d.label.partitions.some((p) => p.type.toUpperCase() === BIOS_BOOT_TYPE)) {
    ctx.err("grub-install: warning: this GPT partition label contains no BIOS Boot Partition; embedding won't be possible.\n");
    ctx.err('grub-install: error: embedding is not possible, but this is required for cross-disk install.\n');
    return 1;
  }
  setBootloader(d, true);
  ctx.out('Installation finished. No error reported.\n');
  return 0;
}

/** The zz-proxmox-boot kernel hook's output for every synced ESP. */
function refreshText(m: LabMachine): string {
  const ids = bootUuids(m);
  if (!ids) return 'No /etc/kernel/proxmox-boot-uuids found, skipping ESP sync.\n';
  let s = "Running hook script 'proxmox-auto-removal'..\nRunning hook script 'zz-proxmox-boot'..\nRe-executing '/etc/kernel/postinst.d/zz-proxmox-boot' in new private mount namespace..\n";
  for (const id of ids) {
    if (!partitionByVfat(m, id)) {
      s += `WARN: /dev/disk/by-uuid/${id} does not exist - clean '${BOOT_UUIDS}'! - skipping\n`;
      continue;
    }
    s += `Copying and configuring kernels on /dev/disk/by-uuid/${id}\n\tCopying kernel and creating boot-entry for ${kernelRelease(m)}\n`;
  }
  return s;
}

export function updateInitramfs(ctx: CmdContext): number {
  const m = ctx.machine;
  const args = ctx.argv.slice(1);
  if (!args.some((a) => a === '-u' || a === '-c' || a === '-d')) {
    ctx.err('Usage: update-initramfs {-c|-d|-u} [-k version] [-v] [-b directory]\n\nOptions:\n -k version\tSpecify kernel version or \'all\'\n -c\t\tCreate a new initramfs\n -u\t\tUpdate an existing initramfs\n -d\t\tRemove an existing initramfs\n');
    return 2;
  }
  if (args.includes('-d')) {
    ctx.out(`update-initramfs: Deleting /boot/initrd.img-${kernelRelease(m)}\n`);
    return 0;
  }
  ctx.out(`update-initramfs: Generating /boot/initrd.img-${kernelRelease(m)}\n`);
  if (m.files[BOOT_UUIDS] !== undefined || bootUuids(m)) ctx.out(refreshText(m));
  return 0;
}

function lsblkLine(m: LabMachine, path: string): { line: string; ok: boolean; blkName?: string } {
  const blk = resolveBlock(m, path);
  if (!blk || !blk.part) return { line: '', ok: false };
  const uuid = vfatUuid(blk.part) ?? '';
  const line = `UUID="${uuid}" SIZE="${blk.part.sizeSectors * 512}" FSTYPE="${uuid ? 'vfat' : ''}" PARTTYPE="${blk.part.type.toLowerCase()}" PKNAME="${blk.disk.dev}" MOUNTPOINT=""\n`;
  return { line, ok: true, blkName: blk.name };
}

export function proxmoxBootTool(ctx: CmdContext): number {
  const m = ctx.machine;
  const [sub, ...rest] = ctx.argv.slice(1);
  const force = rest.includes('--force');
  const part = rest.find((a) => !a.startsWith('-'));
  const reexec = "Re-executing '/usr/sbin/proxmox-boot-tool' in new private mount namespace..\n";
  switch (sub) {
    case 'format':
    case 'init': {
      if (!part) {
        ctx.err(`E: <partition> is mandatory\n\nUSAGE: /usr/sbin/proxmox-boot-tool ${sub} <partition>${sub === 'format' ? ' [--force]' : ' [grub]'}\n`);
        return 1;
      }
      if (sub === 'init') ctx.out(reexec);
      const info = lsblkLine(m, part);
      if (!info.ok) {
        ctx.err(`E: '${part}' is not a block device!\n`);
        return 1;
      }
      ctx.out(info.line);
      const blk = resolveBlock(m, part)!;
      const p = blk.part!;
      if (p.type.toUpperCase() !== EFI_TYPE) {
        ctx.err(`E: '${part}' has wrong partition type (!= ${EFI_TYPE.toLowerCase()}).\n`);
        return 1;
      }
      if (p.sizeSectors * 512 < 256 * 1024 * 1024) {
        ctx.err(`E: '${part}' is too small (<256M).\n`);
        return 1;
      }
      if (blk.disk.failed) {
        ctx.err(`E: '${part}' could not be read: Input/output error\n`);
        return 1;
      }
      const fs = vfatUuid(p);
      if (sub === 'format') {
        if (fs && !force) {
          ctx.err(`E: '${part}' contains a filesystem ('vfat') - exiting (use --force to override)\n`);
          return 1;
        }
        makeVfat(p);
        ctx.out(`Formatting '${part}' as vfat..\nmkfs.fat 4.2 (2021-01-31)\nDone.\n`);
        return 0;
      }
      if (!fs) {
        ctx.err(`E: '${part}' has wrong filesystem (!= vfat).\n`);
        return 1;
      }
      const uefi = uefiBooted(m) && !rest.includes('grub');
      let s = `Mounting '${part}' on '/var/tmp/espmounts/${fs}'.\n`;
      s += uefi ? 'Installing systemd-boot..\nCreated "/var/tmp/espmounts/' + fs + '/EFI/systemd".\nCreated "/var/tmp/espmounts/' + fs + '/EFI/BOOT".\nCopied "/usr/lib/systemd/boot/efi/systemd-bootx64.efi" to "/var/tmp/espmounts/' + fs + '/EFI/systemd/systemd-bootx64.efi".\n'
        : 'Installing grub i386-pc target..\nInstalling for i386-pc platform.\nInstallation finished. No error reported.\n';
      s += `Unmounting '${part}'.\nAdding '${part}' to list of synced ESPs..\n`;
      const ids = bootUuids(m) ?? [];
      if (!ids.includes(fs)) ids.push(fs);
      m.files[BOOT_UUIDS] = ids.map((x) => `${x}\n`).join('');
      if (!uefi) setBootloader(blk.disk, true);
      s += 'Refreshing kernels and initrds..\n' + refreshText(m);
      ctx.out(s);
      return 0;
    }
    case 'status': {
      ctx.out(reexec);
      const ids = bootUuids(m);
      if (!ids) {
        ctx.err(`E: ${BOOT_UUIDS} does not exist.\n`);
        return 2;
      }
      const uefi = uefiBooted(m);
      let s = `System currently booted with ${uefi ? 'uefi' : 'legacy bios'}\n`;
      for (const id of ids) {
        if (!partitionByVfat(m, id)) s += `WARN: /dev/disk/by-uuid/${id} does not exist - clean '${BOOT_UUIDS}'! - skipping\n`;
        else s += `${id} is configured with: ${uefi ? 'uefi' : 'grub'} (versions: ${kernelRelease(m)})\n`;
      }
      ctx.out(s);
      return 0;
    }
    case 'refresh':
      ctx.out(refreshText(m));
      return 0;
    case 'clean': {
      const ids = bootUuids(m) ?? [];
      const keep: string[] = [];
      for (const id of ids) {
        const found = !!partitionByVfat(m, id);
        ctx.out(`Checking whether ESP '${id}' exists.. ${found ? 'Found!' : 'Not found!'}\n`);
        if (found) keep.push(id);
      }
      ctx.out(`Sorting and removing duplicate ESPs..\n`);
      m.files[BOOT_UUIDS] = [...new Set(keep)].sort().map((x) => `${x}\n`).join('');
      return 0;
    }
    default:
      ctx.err(`USAGE: /usr/sbin/proxmox-boot-tool <commands> [ARGS]\n\n  proxmox-boot-tool format <partition> [--force]\n  proxmox-boot-tool init <partition> [grub]\n  proxmox-boot-tool clean [--dry-run]\n  proxmox-boot-tool refresh [--hook <name>]\n  proxmox-boot-tool kernel <add|remove> <kernel-version>\n  proxmox-boot-tool kernel pin <kernel-version> [--next-boot]\n  proxmox-boot-tool kernel unpin [--next-boot]\n  proxmox-boot-tool kernel list\n  proxmox-boot-tool status [--quiet]\n  proxmox-boot-tool help\n`);
      return sub === 'help' ? 0 : 1;
  }
}
