/**
 * curl against lab addresses (HTTP only; TLS is not simulated, https answers the same).
 * Options: -s -S -f -o FILE -w FMT (%{http_code}) -m/--max-time N --connect-timeout N
 * -I/--head -L -k -H -X (accepted). Exit codes as curl 7.88: 6 unknown host, 7 refused,
 * 22 HTTP error with -f, 28 timeout.
 */
import type { CmdContext } from '../../shell/types.js';
import { isIpv4, resolveHost } from './addr.js';
import { tcpConnect } from './health.js';

/** Linux gives up on SYNs after ~130 s with default tcp_syn_retries. */
const SYN_TIMEOUT_MS = 129_000;

interface CurlOpts {
  silent: boolean;
  showError: boolean;
  fail: boolean;
  output?: string;
  writeOut?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  head: boolean;
  url?: string;
}

function parse(argv: string[]): CurlOpts | string {
  const o: CurlOpts = { silent: false, showError: false, fail: false, head: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const val = () => argv[++i];
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      const v = () => inline ?? val();
      switch (name) {
        case '--silent': o.silent = true; break;
        case '--show-error': o.showError = true; break;
        case '--fail': case '--fail-with-body': o.fail = true; break;
        case '--output': o.output = v(); break;
        case '--write-out': o.writeOut = v(); break;
        case '--max-time': o.maxTimeMs = Number(v()) * 1000; break;
        case '--connect-timeout': o.connectTimeoutMs = Number(v()) * 1000; break;
        case '--head': o.head = true; break;
        case '--location': case '--insecure': case '--no-progress-meter': case '--compressed': break;
        case '--header': case '--request': case '--user-agent': case '--resolve': case '--retry': v(); break;
        default: return `curl: option ${name}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information`;
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const flags = a.slice(1);
      for (let k = 0; k < flags.length; k++) {
        const f = flags[k];
        const rest = flags.slice(k + 1);
        const take = () => {
          k = flags.length;
          return rest || val();
        };
        if (f === 's') o.silent = true;
        else if (f === 'S') o.showError = true;
        else if (f === 'f') o.fail = true;
        else if (f === 'I') o.head = true;
        else if (f === 'L' || f === 'k' || f === 'v' || f === '4') continue;
        else if (f === 'o') o.output = take();
        else if (f === 'w') o.writeOut = take();
        else if (f === 'm') o.maxTimeMs = Number(take()) * 1000;
        else if (f === 'H' || f === 'X' || f === 'A') take();
        else return `curl: option -${f}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information`;
      }
      continue;
    }
    o.url = a;
  }
  return o;
}

export async function curl(ctx: CmdContext): Promise<number> {
  const o = parse(ctx.argv);
  if (typeof o === 'string') {
    ctx.err(o + '\n');
    return 2;
  }
  if (!o.url) {
    ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const um = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^?#]*)/.exec(o.url);
  if (!um) {
    if (!o.silent || o.showError) ctx.err(`curl: (3) URL using bad/illegal format or missing URL\n`);
    return 3;
  }
  const scheme = um[1] ?? 'http';
  const host = um[2];
  const port = Number(um[3] ?? (scheme === 'https' ? 443 : 80));
  const started = ctx.world.now();
  const writeOut = (code: number) => {
    if (o.writeOut === undefined) return;
    const elapsed = ((ctx.world.now() - started) / 1000).toFixed(6);
    ctx.out(
      o.writeOut
        .replace(/%\{http_code\}|%\{response_code\}/g, String(code).padStart(3, '0'))
        .replace(/%\{time_total\}/g, elapsed)
        .replace(/%\{remote_ip\}/g, isIpv4(host) ? host : '')
        .replace(/\\n/g, '\n'),
    );
  };
  const fail = (code: number, message: string): number => {
    writeOut(0);
    if (!o.silent || o.showError) ctx.err(`curl: (${code}) ${message}\n`);
    return code;
  };
  const addr = resolveHost(ctx.world, ctx.machine, host);
  if (!addr) return fail(6, `Could not resolve host: ${host}`);
  const r = tcpConnect(ctx.world, ctx.machine, addr, port);
  if (!r.ok && r.why === 'refused') return fail(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
  if (!r.ok) {
    const limits = [o.maxTimeMs, o.connectTimeoutMs].filter((x): x is number => x !== undefined && Number.isFinite(x) && x > 0);
    const wait = limits.length ? Math.min(...limits) : SYN_TIMEOUT_MS;
    await ctx.sleep(wait);
    if (wait < SYN_TIMEOUT_MS) {
      const ms = Math.round(wait) + 1;
      return fail(28, o.connectTimeoutMs !== undefined && o.connectTimeoutMs <= (o.maxTimeMs ?? Infinity)
        ? `Failed to connect to ${host} port ${port} after ${ms} ms: Timeout was reached`
        : `Connection timed out after ${ms} milliseconds`);
    }
    return fail(28, `Failed to connect to ${host} port ${port} after ${SYN_TIMEOUT_MS + 2} ms: Couldn't connect to server`);
  }
  const server = r.server;
  const body = `<!DOCTYPE html>\n<html><head><title>${server.hostname}</title></head>\n<body><h1>${server.hostname}</h1><p>It works.</p></body></html>\n`;
  const headers = `HTTP/1.1 200 OK\r\nServer: ${/nginx/.test(server.services.map((s) => s.name).join(' ')) ? 'nginx' : 'Apache/2.4.62 (Debian)'}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n`;
  const payload = o.head ? headers : body;
  if (o.output === undefined || o.output === '-') ctx.out(payload);
  writeOut(200);
  return 0;
}
