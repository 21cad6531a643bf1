/** A ProxyJump element that is not a machine name: `[user@]host[:port]` or `[user@][v6addr]:port`. Pure. */
import type { SshEndpoint } from '../../model/fleet.js';

export function parseJumpSpec(spec: string, defaults: { user: string }): SshEndpoint | undefined {
  const m = /^(?:([^@\s]+)@)?(\[[^\]\s]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(spec.trim());
  if (!m) return undefined;
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  const port = m[3] ? Number(m[3]) : 22;
  if (port < 1 || port > 65535) return undefined;
  return { host, port, user: m[1] ?? defaults.user, identityFiles: [], jump: [], knownHosts: [] };
}
