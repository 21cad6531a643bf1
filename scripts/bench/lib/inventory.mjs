/** inventory.yaml for baie (see .notes/INVENTORY-FORMAT.md) over the bench's sshd targets. */
import { writeFileSync } from 'node:fs';

export function writeBaieInventory(file, hosts) {
  const perRack = 40;
  const racks = Math.ceil(hosts.length / perRack);
  const lines = [
    'defaults:',
    '  known_hosts: [./known_hosts]',
    '  identity_file: ./id_ed25519',
    'sites:',
    '  bench:',
    '    racks:',
    ...Array.from({ length: racks }, (_, r) => `      R${r + 1}: {height: 42}`),
    'machines:',
  ];
  hosts.forEach((h, i) => {
    lines.push(`  ${h.name}: {site: bench, rack: R${Math.floor(i / perRack) + 1}, u: ${(i % perRack) + 1}, roles: [], ssh: {host: ${h.host}, port: ${h.port}, user: root}}`);
  });
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export function writeAnsibleInventory(file, hosts) {
  writeFileSync(file, ['[bench]', ...hosts.map((h) => `${h.name} ansible_host=${h.host} ansible_port=${h.port} ansible_user=root`), ''].join('\n'));
  return file;
}

export function writeHostList(file, hosts) {
  writeFileSync(file, hosts.map((h) => h.host).join('\n') + '\n');
  return file;
}
