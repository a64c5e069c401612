/**
 * `NeighbourProbe` over Debian tools run inside the target namespace through `inNetns` (never setns in-process):
 * iputils `arping` for IPv4, `ndisc6` for IPv6. Choices, flags and exit codes: docs/adr/0014-ip-conflict-detection.md.
 *
 * arping counts only whole seconds (`-w`, `-i`), so the IPv4 windows are enforced by killing the child at the
 * window's end; arping exits by itself as soon as the awaited reply arrives (`-D` and `-f` quit on the first
 * reply), so a kill means "nothing answered in the window". ndisc6 takes its wait in milliseconds.
 */
import { z } from 'zod';
import {
  InvalidArgumentError,
  LinkDownError,
  LinkNotFoundError,
  LinkNotReadyError,
  NetlinkCommandError,
  NetlinkParseError,
  NetnsNotFoundError,
  ProbeToolMissingError,
} from './errors.js';
import type {
  AddressConflictResult,
  AddressProbeSpec,
  GatewayProbeResult,
  GatewayProbeSpec,
  NeighbourProbe,
} from './neighbour-probe.port.js';
import { normaliseAddressProbe, normaliseGatewayProbe } from './neighbour-probe.schemas.js';
import type { NormalAddressProbe } from './neighbour-probe.schemas.js';
import { ExecFileRunner, inNetns } from './netns-exec.js';
import type { CommandResult, CommandRunner } from './netns-exec.js';

/** Time budgets (spec §1.6, §6). Defaults in `DEFAULT_PROBE_TIMINGS`; the IPv4 ones are capped by the spec. */
export interface NeighbourProbeTimings {
  /** How long an IPv4 ARP probe waits for a holder to answer; ≤ 1000 (spec cap for the whole check). */
  readonly ipv4ConflictWindowMs: number;
  /** How long an IPv4 ARP request waits for the gateway; ≤ 500 (spec cap). */
  readonly ipv4GatewayWindowMs: number;
  /** ndisc6 `-w`: wait per Neighbour Solicitation. */
  readonly ipv6WaitMs: number;
  /** ndisc6 `-r` for conflict checks (each unanswered NS is resent). */
  readonly ipv6ConflictAttempts: number;
  /** ndisc6 `-r` for gateway checks. */
  readonly ipv6GatewayAttempts: number;
  /** How long to wait for a non-tentative IPv6 link-local address on the link (spec: 10 s). */
  readonly linkLocalTimeoutMs: number;
  readonly linkLocalPollMs: number;
  /** How long a gratuitous ARP sender may run before it is stopped (it sends at once, then idles 1 s). */
  readonly announceGraceMs: number;
}

export const DEFAULT_PROBE_TIMINGS: NeighbourProbeTimings = Object.freeze({
  ipv4ConflictWindowMs: 300,
  ipv4GatewayWindowMs: 450,
  ipv6WaitMs: 100,
  ipv6ConflictAttempts: 3,
  ipv6GatewayAttempts: 3,
  linkLocalTimeoutMs: 10_000,
  linkLocalPollMs: 100,
  announceGraceMs: 200,
});

const timingsSchema = z.object({
  ipv4ConflictWindowMs: z.number().int().min(10).max(1000),
  ipv4GatewayWindowMs: z.number().int().min(10).max(500),
  ipv6WaitMs: z.number().int().min(10).max(1000),
  ipv6ConflictAttempts: z.number().int().min(1).max(10),
  ipv6GatewayAttempts: z.number().int().min(1).max(10),
  linkLocalTimeoutMs: z.number().int().min(0).max(60_000),
  linkLocalPollMs: z.number().int().min(1).max(1000),
  announceGraceMs: z.number().int().min(10).max(1000),
});

export interface ArpingNdiscNeighbourProbeOptions {
  readonly timings?: Partial<NeighbourProbeTimings>;
  /** Program names or absolute paths (defaults `arping`, `ndisc6`, `ip`). */
  readonly arping?: string;
  readonly ndisc6?: string;
  readonly ip?: string;
  /** Injected for tests of the link-local wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** Which Debian package provides each program (for `ProbeToolMissingError`). */
const DEBIAN_PACKAGE: Readonly<Record<string, string>> = {
  arping: 'iputils-arping',
  ndisc6: 'ndisc6',
  ip: 'iproute2',
  nsenter: 'util-linux',
};

/** Slack for ndisc6, which times itself: spawn + nsenter, on a loaded node. */
const NDISC_SLACK_MS = 1000;

const linkLocalSchema = z.array(
  z.object({
    addr_info: z.array(
      z.object({
        local: z.string().optional(),
        scope: z.string().optional(),
        tentative: z.boolean().optional(),
        dadfailed: z.boolean().optional(),
      }),
    ),
  }),
);

const LLADDR = String.raw`[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+`;

export class ArpingNdiscNeighbourProbe implements NeighbourProbe {
  private readonly timings: NeighbourProbeTimings;
  private readonly arping: string;
  private readonly ndisc6: string;
  private readonly ip: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(
    private readonly runner: CommandRunner = new ExecFileRunner(),
    options: ArpingNdiscNeighbourProbeOptions = {},
  ) {
    const t = timingsSchema.safeParse({ ...DEFAULT_PROBE_TIMINGS, ...options.timings });
    if (!t.success) {
      const issue = t.error.issues[0];
      throw new InvalidArgumentError(`timings.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
    }
    this.timings = t.data;
    this.arping = options.arping ?? 'arping';
    this.ndisc6 = options.ndisc6 ?? 'ndisc6';
    this.ip = options.ip ?? 'ip';
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
  }

  async probeAddressConflict(spec: AddressProbeSpec): Promise<AddressConflictResult> {
    const p = normaliseAddressProbe(spec);
    if (p.family === 4) {
      // DAD mode: sender IP 0.0.0.0, so no neighbour learns a binding from the probe. Exit 1 = a reply came.
      const argv = [this.arping, '-D', '-c', '1', '-w', '1', '-I', p.ifName, p.ip];
      const r = await this.exec(p, argv, this.timings.ipv4ConflictWindowMs);
      if (r.exitCode === null || r.exitCode === 0) return { conflict: false };
      const mac = arpReplyMac(r.stdout, p.ip);
      if (r.exitCode === 1 && mac !== undefined) return { conflict: true, mac };
      throw this.failure(p, argv, r);
    }
    await this.waitLinkLocal(p);
    const mac = await this.solicit(p, p.ip, this.timings.ipv6ConflictAttempts);
    return mac === undefined ? { conflict: false } : { conflict: true, mac };
  }

  async probeGateway(spec: GatewayProbeSpec): Promise<GatewayProbeResult> {
    const p = normaliseGatewayProbe(spec);
    if (p.family === 4) {
      // A plain request from the pod IP (it need not be assigned yet); -f quits on the gateway's reply (exit 0).
      const argv = [this.arping, '-f', '-c', '1', '-w', '1', '-I', p.ifName, '-s', p.ip, p.gateway];
      const r = await this.exec(p, argv, this.timings.ipv4GatewayWindowMs);
      if (r.exitCode === null) return { reachable: false };
      const mac = arpReplyMac(r.stdout, p.gateway);
      if (r.exitCode === 0 && mac !== undefined) return { reachable: true, mac };
      if (r.exitCode === 1 && !r.stderr.trim()) return { reachable: false };
      throw this.failure(p, argv, r);
    }
    await this.waitLinkLocal(p);
    const mac = await this.solicit(p, p.gateway, this.timings.ipv6GatewayAttempts);
    return mac === undefined ? { reachable: false } : { reachable: true, mac };
  }

  async announce(spec: AddressProbeSpec): Promise<void> {
    const p = normaliseAddressProbe(spec);
    if (p.family === 4) {
      // Unsolicited mode: ARP request with sender IP = target IP = p.ip. arping sends at once and then idles
      // for its 1 s interval; stopping it after the grace period is the normal way out (exitCode null).
      const argv = [this.arping, '-U', '-c', '1', '-w', '1', '-I', p.ifName, p.ip];
      const r = await this.exec(p, argv, this.timings.announceGraceMs);
      if (r.exitCode === null || r.exitCode === 0) return;
      throw this.failure(p, argv, r);
    }
    // Upstream's IPv6 "announcement": one NS for the IP from the link-local address with our MAC as source
    // link-layer option, which refreshes switch FDBs. No answer is expected (a holder answering is ignored).
    await this.solicit(p, p.ip, 1, Math.min(this.timings.ipv6WaitMs, 50));
  }

  /** ndisc6 for `target`: the answering link-layer address, or undefined when nobody answered. */
  private async solicit(
    p: NormalAddressProbe,
    target: string,
    attempts: number,
    waitMs = this.timings.ipv6WaitMs,
  ): Promise<string | undefined> {
    const argv = [
      this.ndisc6,
      '-1',
      '-n',
      '-q',
      '-r',
      String(attempts),
      '-w',
      String(waitMs),
      target,
      p.ifName,
    ];
    const r = await this.exec(p, argv, attempts * waitMs + NDISC_SLACK_MS);
    if (r.exitCode === 2) return undefined; // "Timed out. No response."
    if (r.exitCode === 0) {
      const mac = new RegExp(`^(${LLADDR})\\s*$`, 'm').exec(r.stdout)?.[1];
      if (mac === undefined) throw new NetlinkParseError(argv, `no link-layer address in ${r.stdout.trim()}`);
      return mac.toLowerCase();
    }
    throw this.failure(p, argv, r);
  }

  /** Waits for a non-tentative link-local address (the source of our solicitations). */
  private async waitLinkLocal(p: NormalAddressProbe): Promise<void> {
    const argv = [this.ip, '-6', '-json', 'addr', 'show', 'dev', p.ifName, 'scope', 'link'];
    const deadline = this.now() + this.timings.linkLocalTimeoutMs;
    for (;;) {
      const r = await this.exec(p, argv, 10_000);
      if (r.exitCode !== 0) throw this.failure(p, argv, r);
      const parsed = linkLocalSchema.safeParse(JSON.parse(r.stdout || '[]'));
      if (!parsed.success) throw new NetlinkParseError(argv, parsed.error.message);
      const ready = parsed.data.some((l) => l.addr_info.some((a) => !a.tentative && !a.dadfailed));
      if (ready) return;
      if (this.now() >= deadline) throw new LinkNotReadyError(p.ifName, this.timings.linkLocalTimeoutMs);
      await this.sleep(this.timings.linkLocalPollMs);
    }
  }

  private async exec(
    p: NormalAddressProbe,
    argv: readonly string[],
    timeoutMs: number,
  ): Promise<CommandResult> {
    const full = inNetns(p.netns, argv);
    try {
      return await this.runner.run(full, { timeoutMs });
    } catch (e) {
      // Spawn failure: the first program of `full` (nsenter, or the tool itself) is missing.
      const prog = full[0] ?? '';
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw missing(prog, e);
      throw e;
    }
  }

  /** The one place that reads probe tools' messages (LC_ALL=C is forced by the runner). */
  private failure(p: NormalAddressProbe, argv: readonly string[], r: CommandResult): Error {
    const cause = new NetlinkCommandError(inNetns(p.netns, argv), r.exitCode, r.stderr || r.stdout);
    const text = `${r.stderr}\n${r.stdout}`;
    const exec = /nsenter: failed to execute (\S+): No such file/.exec(text);
    if (exec?.[1] !== undefined) return missing(exec[1], cause);
    if (/nsenter: .*(No such file or directory|Invalid argument)/.test(text) && p.netns !== undefined) {
      return new NetnsNotFoundError(p.netns, { cause });
    }
    if (/Device .* not available|No such device|Cannot find device|does not exist/.test(text)) {
      return new LinkNotFoundError(p.ifName, { cause });
    }
    if (/Interface ".*" is down|Network is down/.test(text)) return new LinkDownError(p.ifName, { cause });
    return cause;
  }
}

function missing(prog: string, cause: unknown): ProbeToolMissingError {
  const tool = prog.split('/').pop() ?? prog;
  return new ProbeToolMissingError(tool, DEBIAN_PACKAGE[tool] ?? tool, { cause });
}

/** The link-layer address in arping's `Unicast reply from <ip> [<mac>]` (or a DAD `request`) for `from`. */
function arpReplyMac(stdout: string, from: string): string | undefined {
  const re = new RegExp(`(?:reply|request) from (\\S+) \\[(${LLADDR})\\]`, 'g');
  for (const m of stdout.matchAll(re)) {
    if (m[1] === from && m[2] !== undefined) return m[2].toLowerCase();
  }
  return undefined;
}
