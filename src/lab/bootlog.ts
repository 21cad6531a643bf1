/**
 * What a machine's serial console shows: firmware POST, GRUB, kernel and systemd lines,
 * the login prompt, a kernel panic, PXE and the installer, shutdown. Pure text builders.
 */
import { machineKind } from './hardware.js';
import type { LabMachine } from './state.js';

export const KERNEL = '6.1.0-28-amd64';
export const KERNEL_BUILD = '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)';
export const PVE_KERNEL = '6.8.12-4-pve';
export const PVE_KERNEL_BUILD = '#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-4 (2024-11-06T15:04Z)';

/** `[   12.345678]` kernel timestamp. */
export function ktime(seconds: number): string {
  const [i, f] = seconds.toFixed(6).split('.');
  return `[${i.padStart(5)}.${f}]`;
}

function primaryAddr(m: LabMachine): string {
  const i = m.ifaces.find((x) => x.name !== 'lo' && x.addrs.length > 0);
  return i ? i.addrs[0].split('/')[0] : m.address;
}

/** Firmware power-on self test. */
export function postText(m: LabMachine): string {
  const hw = m.hardware;
  const kind = machineKind(m);
  if (kind === 'switch') return `\nU-Boot 2019.04 (Jun 10 2021)\nDRAM:  2 GiB\nBooting ${hw.vendor} ${hw.model}...`;
  if (kind === 'pdu') return `\n${hw.vendor} ${hw.model}\nNetwork Management Card AOS v6.9.6 starting...`;
  if (hw.vendor === 'PC Engines') {
    return `\nPC Engines ${hw.model.replace(/^apu/, 'apu')}\ncoreboot build 20230616\nBIOS version v4.19.0.1\n${Math.round(hw.memBytes / 2 ** 20)} MB ECC DRAM\nSeaBIOS (version rel-1.16.0.1-0-g4b8d3a5)\n\nPress F10 key now for boot menu\n\nBooting from Hard Disk...`;
  }
  const mem = Math.round(hw.memBytes / 2 ** 30);
  return [
    '',
    `${hw.vendor} ${hw.model}`,
    `BIOS Version 2.14.1  Service Tag / Serial ${hw.serial}`,
    `${hw.cpus} CPU threads, ${mem} GB memory detected`,
    'Initializing firmware interfaces...',
    'Press <F2> Setup, <F11> Boot Manager, <F12> PXE Boot',
  ].join('\n');
}

export function biosSetupText(m: LabMachine): string {
  return `Entering System Setup...\n\n${m.hardware.vendor} ${m.hardware.model}  System BIOS\n  System Information   Memory Settings   Boot Settings\n  (waiting at the BIOS setup screen)`;
}

export function pxeText(m: LabMachine, armed: boolean): string {
  const mac = m.ifaces.find((i) => i.mac)?.mac ?? '00:00:00:00:00:00';
  const head = `\nIntel(R) Boot Agent GE v1.5.88\nCopyright (C) 1997-2018, Intel Corporation\n\nCLIENT MAC ADDR: ${mac.toUpperCase().replace(/:/g, ' ')}  GUID: 4C4C4544-0042-5310-8048-B7C04F4E3732`;
  if (!armed) return `${head}\nDHCP....../\nPXE-E53: No boot filename received\nPXE-M0F: Exiting Intel Boot Agent.\nBooting from Hard Disk...`;
  return `${head}\nCLIENT IP: ${primaryAddr(m)}  MASK: 255.255.255.0  DHCP IP: ${primaryAddr(m).replace(/\.\d+$/, '.1')}\nTFTP.\nPXELINUX 6.04 PXE 20200816  Copyright (C) 1994-2015 H. Peter Anvin et al\nboot: auto (preseeded install)\nLoading debian-installer/amd64/linux... ok\nLoading debian-installer/amd64/initrd.gz... ok`;
}

export function installStartText(m: LabMachine): string {
  const pve = machineKind(m) === 'pve';
  return [
    pve ? 'Proxmox VE 8.3 automated installation (answer file from the PXE server)' : 'Debian GNU/Linux 12 (bookworm) installer, preseeded',
    'Detecting network hardware... eno1',
    'Partitioning disks... (all data on the disks will be erased)',
    pve ? 'Creating ZFS pool rpool (mirror)...' : 'Creating software RAID1 md0 (/) and md1 (/srv)...',
    'Installing the base system...',
  ].join('\n');
}

export function installDoneText(): string {
  return 'Installing GRUB boot loader...\nFinishing the installation...\nInstallation complete. Rebooting.\n';
}

export function grubText(m: LabMachine): string {
  if (machineKind(m) === 'pve') return `\n  Booting \`Proxmox VE GNU/Linux'\n\nLoading Linux ${PVE_KERNEL} ...\nLoading initial ramdisk ...`;
  return `\n  Booting \`Debian GNU/Linux'\n\nLoading Linux ${KERNEL} ...\nLoading initial ramdisk ...`;
}

export function kernelText(m: LabMachine): string {
  const pve = machineKind(m) === 'pve';
  const k = pve ? PVE_KERNEL : KERNEL;
  const root = pve ? 'root=ZFS=rpool/ROOT/pve-1 boot=zfs' : 'root=/dev/md0';
  const lines = [
    `${ktime(0)} Linux version ${k} (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) ${pve ? PVE_KERNEL_BUILD : KERNEL_BUILD}`,
    `${ktime(0)} Command line: BOOT_IMAGE=/vmlinuz-${k} ${root} ro console=tty0 console=ttyS0,115200n8 quiet`,
    `${ktime(0.012)} DMI: ${m.hardware.vendor} ${m.hardware.model}`,
  ];
  let t = 2.1;
  for (const d of m.disks.filter((x) => !x.gone)) {
    t += 0.04;
    lines.push(`${ktime(t)} sd ${m.disks.indexOf(d)}:0:0:0: [${d.dev}] ${Math.floor(d.sizeBytes / 512)} 512-byte logical blocks: (${(d.sizeBytes / 1e9).toFixed(0)} GB)`);
    if (d.failed) lines.push(`${ktime(t + 0.5)} ata${m.disks.indexOf(d) + 1}.00: failed command: READ FPDMA QUEUED`, `${ktime(t + 0.6)} blk_update_request: I/O error, dev ${d.dev}, sector 2048 op 0x0:(READ)`);
  }
  for (const md of m.md) {
    t += 0.3;
    const active = md.members.filter((x) => x.state === 'active').length;
    lines.push(`${ktime(t)} md/raid1:${md.name}: active with ${active} out of ${md.raidDisks} mirrors`);
    lines.push(`${ktime(t + 0.001)} ${md.name}: detected capacity change from 0 to ${md.blocks * 1024}`);
  }
  return lines.join('\n');
}

export function systemdText(m: LabMachine): string {
  const lines = ['', 'Welcome to \u001b[1mDebian GNU/Linux 12 (bookworm)\u001b[0m!', ''];
  for (const s of m.services.filter((x) => x.enabled)) lines.push(`[  OK  ] Started ${s.name}.service.`);
  lines.push('[  OK  ] Reached target multi-user.target - Multi-User System.');
  return lines.join('\n');
}

/** Banner and login prompt (no newline after `login: `). */
export function loginText(m: LabMachine): string {
  const kind = machineKind(m);
  if (kind === 'switch') return `\n${m.hostname} (ttyu0)\n\nlogin: `;
  if (kind === 'pdu') return `\nUser Name : `;
  const pveBanner = kind === 'pve'
    ? `\n------------------------------------------------------------------------------\n\nWelcome to the Proxmox Virtual Environment. Please use your web browser to\nconfigure this server - connect to:\n\n  https://${primaryAddr(m)}:8006/\n\n------------------------------------------------------------------------------\n`
    : '';
  return `${pveBanner}\nDebian GNU/Linux 12 ${m.hostname} ttyS0\n\n${m.hostname} login: `;
}

/** A kernel panic as it scrolls on the serial console. */
export function panicText(m: LabMachine, uptimeSec: number, reason = 'Fatal exception'): string {
  const pve = machineKind(m) === 'pve';
  const t = Math.max(1, uptimeSec);
  const k = pve ? PVE_KERNEL : KERNEL;
  return [
    `${ktime(t)} BUG: unable to handle page fault for address: ffffa1c3c0000008`,
    `${ktime(t)} #PF: supervisor read access in kernel mode`,
    `${ktime(t)} Oops: 0000 [#1] PREEMPT SMP NOPTI`,
    `${ktime(t)} CPU: 2 PID: 0 Comm: swapper/2 Tainted: G          I        ${k} #1 ${pve ? 'PMX' : 'Debian'}`,
    `${ktime(t)} Hardware name: ${m.hardware.vendor} ${m.hardware.model}`,
    `${ktime(t)} RIP: 0010:__list_del_entry_valid+0x21/0x90`,
    `${ktime(t)} Call Trace:`,
    `${ktime(t)}  <IRQ>`,
    `${ktime(t)}  ? __die_body.cold+0x1a/0x1f`,
    `${ktime(t)}  ? page_fault_oops+0xd2/0x2b0`,
    `${ktime(t)}  ? exc_page_fault+0x70/0x170`,
    `${ktime(t)}  ? asm_exc_page_fault+0x22/0x30`,
    `${ktime(t)}  </IRQ>`,
    `${ktime(t)} ---[ end trace 0000000000000000 ]---`,
    `${ktime(t)} Kernel panic - not syncing: ${reason}`,
    `${ktime(t)} Kernel Offset: 0x1c000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)`,
    `${ktime(t)} ---[ end Kernel panic - not syncing: ${reason} ]---`,
  ].join('\n');
}

export function noBootText(m: LabMachine): string {
  if (m.hardware.vendor === 'PC Engines') return 'Booting from Hard Disk...\nBoot failed: not a bootable disk\n\nNo bootable device.  Retrying in 60 seconds.';
  return 'Booting from Hard Disk...\n\nNo boot device available.\nReboot and Select proper Boot device\nor Insert Boot Media in selected Boot device and press a key';
}

export function shutdownText(reboot: boolean): string {
  return [
    '[  OK  ] Stopped target multi-user.target - Multi-User System.',
    '[  OK  ] Stopped ssh.service - OpenBSD Secure Shell server.',
    '[  OK  ] Reached target shutdown.target - System Shutdown.',
    reboot ? `${ktime(0)} reboot: Restarting system` : `${ktime(0)} reboot: Power down`,
  ].join('\n');
}

export function linkDownText(uptimeSec: number, iface: string): string {
  return `${ktime(uptimeSec)} igb 0000:03:00.0 ${iface}: igb: ${iface} NIC Link is Down`;
}

export function linkUpText(uptimeSec: number, iface: string): string {
  return `${ktime(uptimeSec)} igb 0000:03:00.0 ${iface}: igb: ${iface} NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX/TX`;
}

export function diskFailText(uptimeSec: number, dev: string, port: number, mdName?: string, memberDev?: string): string {
  const lines = [
    `${ktime(uptimeSec)} ata${port}.00: exception Emask 0x0 SAct 0x800000 SErr 0x0 action 0x0`,
    `${ktime(uptimeSec)} ata${port}.00: failed command: READ FPDMA QUEUED`,
    `${ktime(uptimeSec)} blk_update_request: I/O error, dev ${dev}, sector 104859648 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2`,
  ];
  if (mdName && memberDev) {
    lines.push(`${ktime(uptimeSec + 0.01)} md/raid1:${mdName}: Disk failure on ${memberDev}, disabling device.`);
    lines.push(`${ktime(uptimeSec + 0.01)} md/raid1:${mdName}: Operation continuing on 1 devices.`);
  }
  return lines.join('\n');
}
