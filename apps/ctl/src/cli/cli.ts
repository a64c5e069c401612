import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { FamilyFlags } from '@spiderpool/ipam-core';
import type { ClusterPort } from '../cluster/cluster.port.js';
import type { CtlConfig } from '../config/schema.js';
import { mapError, UsageError, ValidationFailedError } from '../errors.js';
import { explainPod, formatExplanation } from '../explain/explain.command.js';
import { DEFAULT_GC_CONFIG, formatGcLine, runGc } from '../gc/gc.command.js';
import { IpManager, parseIPArgument } from '../ip/ip.manager.js';
import { formatProblem, validateText, type ValidationProblem } from '../validate/validate.command.js';
import { versionText } from '../version/version.command.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliDeps {
  readonly io: CliIo;
  readonly config: CtlConfig;
  /** Builds the cluster client (kubeconfig from `--kubeconfig`, else the config's). Called only by cluster commands. */
  readonly connect: (kubeconfigFlag: string | undefined) => ClusterPort;
  readonly readFile: (path: string) => string;
  readonly now: () => number;
}

export const USAGE = `spiderpoolctl — operator CLI for Spiderpool (spiderpool.spidernet.io/v2beta1)

Commands:
  validate -f FILE...                    check manifests offline (schema + admission rules); exit 1 on problems
  explain POD -n NS [--nic eth0]         why the IPAM picks or rejects each pool for a pod
  ip show --ip IP                        the pool, record and SpiderEndpoint of an IP
  ip release --ip IP [--force]           release an IP record (refused while its pod runs, unless --force)
  gc [--dry-run | --apply]               what the IP GC would release now; --apply releases it
  version                                print the version

Global flags: --kubeconfig PATH (else KUBECONFIG), -o text|json (read commands)`;

type Options = NonNullable<ParseArgsConfig['options']>;
const GLOBAL: Options = {
  kubeconfig: { type: 'string' },
  output: { type: 'string', short: 'o', default: 'text' },
  help: { type: 'boolean', short: 'h' },
};

function parse(args: string[], options: Options, positionals = false) {
  try {
    return parseArgs({ args, options: { ...GLOBAL, ...options }, allowPositionals: positionals, strict: true });
  } catch (cause) {
    throw new UsageError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

function outputMode(value: unknown): 'text' | 'json' {
  if (value === 'text' || value === 'json') return value;
  throw new UsageError(`-o must be text or json, got '${String(value)}'`);
}

const list = (v: unknown): string[] =>
  typeof v === 'string' && v !== '' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : [];

function families(values: Record<string, unknown>): FamilyFlags {
  return { enableIPv4: values['no-ipv4'] !== true, enableIPv6: values['no-ipv6'] !== true };
}

/** Runs one invocation; returns the exit code. Every error goes through `mapError` (one line on stderr). */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  try {
    await dispatch([...argv], deps);
    return 0;
  } catch (err) {
    const { exitCode, message } = mapError(err);
    deps.io.err(message);
    return exitCode;
  }
}

async function dispatch(argv: string[], deps: CliDeps): Promise<void> {
  const { io } = deps;
  const [command, ...rest] = argv;
  const json = (v: unknown) => io.out(JSON.stringify(v, null, 2));
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return;
    case 'version':
      parse(rest, {});
      io.out(versionText());
      return;
    case 'validate': {
      const { values, positionals } = parse(
        rest,
        {
          file: { type: 'string', short: 'f', multiple: true },
          'no-ipv4': { type: 'boolean' },
          'no-ipv6': { type: 'boolean' },
        },
        true,
      );
      // `-f a.yaml b.yaml` (a shell glob after one -f) names every file.
      const files = [...((values.file as string[] | undefined) ?? []), ...positionals];
      if (files.length === 0) throw new UsageError('validate needs at least one -f FILE');
      const mode = outputMode(values.output);
      const problems: ValidationProblem[] = [];
      let documents = 0;
      for (const file of files) {
        let text: string;
        try {
          text = deps.readFile(file);
        } catch (cause) {
          throw new UsageError(`cannot read ${file}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
        }
        const report = validateText(file, text, families(values));
        documents += report.documents;
        problems.push(...report.problems);
      }
      if (mode === 'json') json({ documents, problems });
      else for (const p of problems) io.out(formatProblem(p));
      if (problems.length > 0) throw new ValidationFailedError(problems.length);
      if (mode === 'text') io.out(`${documents} document(s) valid`);
      return;
    }
    case 'explain': {
      const { values, positionals } = parse(
        rest,
        {
          namespace: { type: 'string', short: 'n', default: 'default' },
          nic: { type: 'string', default: 'eth0' },
          'netconf-ipv4': { type: 'string' },
          'netconf-ipv6': { type: 'string' },
          'cluster-network': { type: 'string' },
        },
        true,
      );
      if (positionals.length !== 1) throw new UsageError('explain needs exactly one POD name');
      const mode = outputMode(values.output);
      const cluster = deps.connect(values.kubeconfig as string | undefined);
      const e = await explainPod(cluster, {
        namespace: values.namespace as string,
        pod: positionals[0] as string,
        nic: values.nic as string,
        netconfIPv4: list(values['netconf-ipv4']),
        netconfIPv6: list(values['netconf-ipv6']),
        clusterNetwork: values['cluster-network'] as string | undefined,
        spiderpoolNamespace: deps.config.spiderpoolNamespace,
      });
      if (mode === 'json') json(e);
      else for (const line of formatExplanation(e)) io.out(line);
      return;
    }
    case 'ip':
      return ipCommand(rest, deps);
    case 'gc': {
      const { values } = parse(rest, {
        'dry-run': { type: 'boolean' },
        apply: { type: 'boolean' },
        'additional-grace-delay': { type: 'string' },
      });
      if (values.apply === true && values['dry-run'] === true) throw new UsageError('--apply and --dry-run exclude each other');
      const delay = Number(values['additional-grace-delay'] ?? DEFAULT_GC_CONFIG.additionalGraceDelaySeconds);
      if (!Number.isInteger(delay) || delay < 0) throw new UsageError('--additional-grace-delay must be an integer ≥ 0');
      const mode = outputMode(values.output);
      const cluster = deps.connect(values.kubeconfig as string | undefined);
      const lines = await runGc(cluster, new IpManager(cluster), {
        config: { ...DEFAULT_GC_CONFIG, additionalGraceDelaySeconds: delay },
        enableStatefulSet: true,
        enableKubevirtStaticIP: true,
        nowMs: deps.now(),
        apply: values.apply === true,
      });
      if (mode === 'json') json({ applied: values.apply === true, records: lines });
      else {
        for (const l of lines) io.out(formatGcLine(l));
        const n = lines.filter((l) => l.decision.record === 'release').length;
        io.out(`${lines.length} record(s), ${n} to release${values.apply === true ? ' (applied)' : ' (dry run; --apply releases)'}`);
      }
      return;
    }
    default:
      throw new UsageError(`unknown command '${command}'; run spiderpoolctl help`);
  }
}

async function ipCommand(argv: string[], deps: CliDeps): Promise<void> {
  const { io } = deps;
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'show': {
      const { values } = parse(rest, { ip: { type: 'string' } });
      const ip = parseIPArgument(values.ip as string | undefined);
      const mode = outputMode(values.output);
      const cluster = deps.connect(values.kubeconfig as string | undefined);
      const holding = await new IpManager(cluster).find(ip);
      const endpoint = await cluster.getEndpoint(holding.namespace, holding.podName);
      const entry = endpoint?.status?.current.ips.find(
        (e) => e.ipv4?.split('/')[0] === holding.ip || e.ipv6?.split('/')[0] === holding.ip,
      );
      const view = {
        ip: holding.ip,
        pool: holding.pool,
        pod: holding.record.pod,
        podUid: holding.record.podUid,
        nic: entry?.interface,
        endpoint:
          endpoint === undefined
            ? null
            : {
                name: `${endpoint.metadata.namespace}/${endpoint.metadata.name}`,
                uid: endpoint.status?.current.uid,
                node: endpoint.status?.current.node,
                ownerControllerType: endpoint.status?.ownerControllerType,
                ownerControllerName: endpoint.status?.ownerControllerName,
                ips: endpoint.status?.current.ips ?? [],
              },
      };
      if (mode === 'json') io.out(JSON.stringify(view, null, 2));
      else {
        io.out(`ip: ${view.ip}`);
        io.out(`pool: ${view.pool}`);
        io.out(`pod: ${view.pod} (uid ${view.podUid})`);
        io.out(`nic: ${view.nic ?? '-'}`);
        const ep = view.endpoint;
        io.out(
          ep === null
            ? 'endpoint: none'
            : `endpoint: ${ep.name} uid ${ep.uid ?? '-'} node ${ep.node ?? '-'} owner ${ep.ownerControllerType ?? '-'}/${ep.ownerControllerName ?? '-'}${ep.uid !== view.podUid ? ' (uid differs from the record)' : ''}`,
        );
      }
      return;
    }
    case 'release': {
      const { values } = parse(rest, { ip: { type: 'string' }, force: { type: 'boolean', short: 'f' } });
      const ip = parseIPArgument(values.ip as string | undefined);
      const mode = outputMode(values.output);
      const cluster = deps.connect(values.kubeconfig as string | undefined);
      const r = await new IpManager(cluster).release(ip, { force: values.force === true });
      if (mode === 'json') io.out(JSON.stringify(r, null, 2));
      else
        io.out(
          `${r.poolReleased ? 'released' : 'not released (record changed owner)'} ${r.holding.ip} from ${r.holding.pool} (pod ${r.holding.record.pod}); endpoint entries removed: ${r.endpointEntriesRemoved}`,
        );
      return;
    }
    case 'set':
      throw new UsageError('ip set is not implemented (binding an IP by hand bypasses the agent; see docs/adr/0015)');
    default:
      throw new UsageError(`unknown ip subcommand '${sub ?? ''}'; use show or release`);
  }
}
