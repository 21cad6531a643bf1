/**
 * A fresh operating-system install on a lab machine: disk labels, md arrays or ZFS pool,
 * base services, base files. Used by the scenario loader (initial state, before the
 * scenario's own details are laid on top) and by a PXE reinstall (the machine comes up blank).
 */
import { baseServices, labelFor, machineKind, mdArraysFor, rpoolFor, type Layout, type Rng } from './hardware.js';
import type { LabMachine } from './state.js';

export function layoutOf(m: LabMachine): Layout {
  const kind = machineKind(m);
  if (m.disks.length === 0 || kind === 'switch' || kind === 'pdu') return 'none';
  if (kind === 'pve') return 'zfs-mirror';
  return m.disks.length >= 4 ? 'raid1-split' : 'raid1';
}

function prefixOf(addr: string): string {
  return addr.includes('/') ? addr : `${addr}/24`;
}

export function baseFiles(m: LabMachine): Record<string, string> {
  const addr = prefixOf(m.address);
  const [ip] = addr.split('/');
  const gw = ip.replace(/\.\d+$/, '.1');
  const iface = m.ifaces.find((i) => i.name !== 'lo')?.name ?? 'eno1';
  const pve = machineKind(m) === 'pve';
  const files: Record<string, string> = {
    '/etc/hostname': `${m.hostname}\n`,
    '/etc/hosts': `127.0.0.1\tlocalhost\n${ip}\t${m.hostname}.example.org\t${m.hostname}\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n`,
    '/etc/debian_version': '12.8\n',
    '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n',
    '/etc/network/interfaces': pve
      ? `auto lo\niface lo inet loopback\n\niface ${iface} inet manual\n\nauto vmbr0\niface vmbr0 inet static\n\taddress ${addr}\n\tgateway ${gw}\n\tbridge-ports ${iface}\n\tbridge-stp off\n\tbridge-fd 0\n\nsource /etc/network/interfaces.d/*\n`
      : `auto lo\niface lo inet loopback\n\nauto ${iface}\niface ${iface} inet static\n\taddress ${addr}\n\tgateway ${gw}\n\nsource /etc/network/interfaces.d/*\n`,
    '/etc/resolv.conf': 'search example.org\nnameserver 192.0.2.53\nnameserver 203.0.113.53\n',
  };
  if (m.md.length > 0) {
    files['/etc/mdadm/mdadm.conf'] = `# mdadm.conf\nHOMEHOST <system>\nMAILADDR root\n\n${m.md
      .map((a) => `ARRAY /dev/${a.name} metadata=1.2 UUID=${a.uuid} name=${m.hostname}:${a.name.slice(2)}`)
      .join('\n')}\n`;
    const data = m.md.find((a) => a.name === 'md1');
    files['/etc/fstab'] = `# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/md0\t/\text4\terrors=remount-ro\t0\t1\n${data ? '/dev/md1\t/srv\text4\tdefaults\t0\t2\n' : ''}/dev/sda1\t/boot/efi\tvfat\tumask=0077\t0\t1\n`;
  }
  return files;
}

/**
 * Lay a fresh install over `m`: every healthy disk gets a new label, new arrays/pool,
 * base services only, base files, one interface with the machine's address.
 * Failed or pulled disks are left alone.
 */
export function installFresh(m: LabMachine, rng: Rng, now: number): void {
  const layout = layoutOf(m);
  const kind = machineKind(m);
  const healthy = m.disks.filter((d) => !d.failed && !d.gone);
  healthy.forEach((d) => {
    d.label = labelFor(d, layout, m.disks.indexOf(d), rng);
  });
  m.md = mdArraysFor(healthy, layout, rng, now);
  m.zpools = layout === 'zfs-mirror' ? rpoolFor(healthy, rng, 0.012) : [];
  m.services = baseServices(kind).map((name) => ({
    name,
    // A node outside any cluster has no corosync.conf: the unit is skipped, not failed.
    active: !(name === 'corosync'),
    enabled: true,
  }));
  const primary = m.ifaces.find((i) => i.name !== 'lo');
  const lo = { name: 'lo', up: true, addrs: ['127.0.0.1/8'] };
  if (kind === 'pve') {
    m.ifaces = [lo, { name: primary?.name === 'vmbr0' ? 'eno1' : (primary?.name ?? 'eno1'), up: true, addrs: [], mac: primary?.mac },
      { name: 'vmbr0', up: true, addrs: [prefixOf(m.address)], mac: primary?.mac }];
  } else {
    m.ifaces = [lo, { name: primary?.name ?? 'eno1', up: true, addrs: [prefixOf(m.address)], ...(primary?.mac ? { mac: primary.mac } : {}) }];
  }
  m.ipvs = [];
  m.mysql = undefined;
  m.cluster = undefined;
  m.load = [0.02, 0.05, 0.01];
  m.files = kind === 'switch' || kind === 'pdu' ? {} : baseFiles(m);
}
