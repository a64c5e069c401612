// The CNI "skel": env validation, stdin decoding, version negotiation and dispatch, returning what
// to print. Pure apart from the injected stdin reader; main.ts does the actual process I/O.
// stdout carries only the result (ADD), the version info (VERSION) or a CNI error object.
import { CniError } from '../errors.js';
import { parseCniArgs } from './cni-args.js';
import { CNI_CODE } from './cni-codes.js';
import { parsePrevResult, printResult } from './cni-result.js';
import { LATEST_CNI_VERSION, versionAtLeast } from './cni-version.js';
import type { CmdArgs, CniCommand, CniPlugin } from './plugin.port.js';

export interface SkelInput {
  env: Readonly<Record<string, string | undefined>>;
  readStdin(): Promise<string>;
}

export interface SkelOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const REQUIRED_ENV: Record<CniCommand, readonly string[]> = {
  ADD: ['CNI_COMMAND', 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'],
  CHECK: ['CNI_COMMAND', 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'],
  DEL: ['CNI_COMMAND', 'CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_PATH'],
  STATUS: ['CNI_COMMAND', 'CNI_PATH'],
  GC: ['CNI_COMMAND', 'CNI_PATH'],
  VERSION: ['CNI_COMMAND'],
};

/** Commands that need a container (container ID and interface name are validated). */
const PER_CONTAINER: ReadonlySet<CniCommand> = new Set(['ADD', 'DEL', 'CHECK']);
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function printCniError(err: CniError, cniVersion: string): string {
  const obj = {
    cniVersion,
    code: err.cniCode,
    msg: err.message,
    ...(err.details ? { details: err.details } : {}),
  };
  return `${JSON.stringify(obj, null, 4)}\n`;
}

function versionInfo(supported: readonly string[]): string {
  return `${JSON.stringify({ cniVersion: LATEST_CNI_VERSION, supportedVersions: supported }, null, 4)}\n`;
}

function validateIfName(ifName: string): string | undefined {
  if (ifName === '') return 'interface name is empty';
  if (ifName.length > 15) return 'interface name is too long';
  if (ifName === '.' || ifName === '..') return 'interface name is . or ..';
  if (/[/:\s]/.test(ifName)) return 'interface name contains / or : or whitespace characters';
  return undefined;
}

function decodeConf(stdin: string): { raw: Record<string, unknown>; cniVersion: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(stdin);
  } catch (e) {
    throw new CniError(
      CNI_CODE.DECODE_FAILURE,
      'failed to decode network configuration',
      (e as Error).message,
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CniError(
      CNI_CODE.DECODE_FAILURE,
      'failed to decode network configuration',
      'not a JSON object',
    );
  }
  const obj = raw as Record<string, unknown>;
  const v = obj['cniVersion'];
  if (v !== undefined && typeof v !== 'string') {
    throw new CniError(
      CNI_CODE.DECODE_FAILURE,
      'failed to decode network configuration',
      'cniVersion must be a string',
    );
  }
  // A missing cniVersion means 0.1.0 (CNI spec).
  return { raw: obj, cniVersion: v === undefined || v === '' ? '0.1.0' : v };
}

/**
 * Run one plugin invocation. Never throws: every failure becomes a CNI error on stdout, exit 1.
 */
export async function runSkel<Conf, Ports>(
  plugin: CniPlugin<Conf, Ports>,
  input: SkelInput,
): Promise<SkelOutput> {
  const env = input.env;
  const command = env['CNI_COMMAND'] ?? '';
  if (command === '') {
    return {
      stdout: '',
      stderr: `${plugin.about}\nCNI protocol versions supported: ${plugin.supportedVersions.join(', ')}\n`,
      exitCode: 0,
    };
  }
  let cniVersion = LATEST_CNI_VERSION;
  let ports: Ports | undefined;
  try {
    if (!(command in REQUIRED_ENV)) {
      throw new CniError(CNI_CODE.INVALID_ENV, `unknown CNI_COMMAND: ${command}`);
    }
    const cmd = command as CniCommand;
    const missing = REQUIRED_ENV[cmd].filter((k) => (env[k] ?? '') === '');
    if (missing.length > 0) {
      throw new CniError(CNI_CODE.INVALID_ENV, `required env variables [${missing.join(',')}] missing`);
    }
    if (cmd === 'VERSION') return { stdout: versionInfo(plugin.supportedVersions), stderr: '', exitCode: 0 };
    const handler = cmd === 'STATUS' ? plugin.status : cmd === 'GC' ? plugin.gc : undefined;
    if ((cmd === 'STATUS' || cmd === 'GC') && !handler) {
      throw new CniError(CNI_CODE.INVALID_ENV, `unknown CNI_COMMAND: ${command}`);
    }

    let stdin: string;
    try {
      stdin = await input.readStdin();
    } catch (e) {
      throw new CniError(CNI_CODE.IO_FAILURE, 'error reading from stdin', (e as Error).message);
    }
    const decoded = decodeConf(stdin);
    // Errors are printed in the config's version when we speak it, else in our latest.
    if (plugin.supportedVersions.includes(decoded.cniVersion)) cniVersion = decoded.cniVersion;
    const name = decoded.raw['name'];
    if (typeof name !== 'string' || name === '')
      throw new CniError(CNI_CODE.INVALID_NETCONF, 'missing network name');
    if (!NAME_RE.test(name))
      throw new CniError(CNI_CODE.INVALID_NETCONF, 'invalid characters found in network name', name);

    const containerId = env['CNI_CONTAINERID'] ?? '';
    const ifName = env['CNI_IFNAME'] ?? '';
    if (PER_CONTAINER.has(cmd)) {
      if (!NAME_RE.test(containerId)) {
        throw new CniError(CNI_CODE.INVALID_ENV, 'invalid characters in containerID', containerId);
      }
      const bad = validateIfName(ifName);
      if (bad) throw new CniError(CNI_CODE.INVALID_ENV, bad, ifName);
    }

    const minimum = cmd === 'CHECK' ? '0.4.0' : cmd === 'STATUS' || cmd === 'GC' ? '1.1.0' : undefined;
    if (minimum && !versionAtLeast(decoded.cniVersion, minimum)) {
      throw new CniError(CNI_CODE.INCOMPATIBLE_VERSION, `config version does not allow ${cmd}`);
    }
    if (!plugin.supportedVersions.includes(decoded.cniVersion)) {
      throw new CniError(
        CNI_CODE.INCOMPATIBLE_VERSION,
        'incompatible CNI versions',
        `config is "${decoded.cniVersion}", plugin supports ["${plugin.supportedVersions.join('" "')}"]`,
      );
    }

    const cniArgsOutcome = parseCniArgs(env['CNI_ARGS']);
    if (!cniArgsOutcome.ok) {
      throw new CniError(CNI_CODE.INVALID_ENV, `failed to load CNI ENV args: ${cniArgsOutcome.message}`);
    }

    let prevResult;
    if (decoded.raw['prevResult'] !== undefined && decoded.raw['prevResult'] !== null) {
      const prev = parsePrevResult(decoded.raw['prevResult']);
      if (!prev.ok) throw new CniError(CNI_CODE.DECODE_FAILURE, 'failed to decode prevResult', prev.message);
      prevResult = prev.result;
    }

    const conf = plugin.parseConf(decoded.raw);
    const args: CmdArgs<Conf> = {
      command: cmd,
      containerId,
      netns: env['CNI_NETNS'] ?? '',
      ifName,
      cniPath: env['CNI_PATH'] ?? '',
      rawCniArgs: env['CNI_ARGS'] ?? '',
      cniArgs: cniArgsOutcome.args,
      cniVersion: decoded.cniVersion,
      conf,
      rawConf: decoded.raw,
      ...(prevResult ? { prevResult } : {}),
    };
    ports = await plugin.createPorts(args);
    let stdout = '';
    switch (cmd) {
      case 'ADD':
        stdout = printResult(await plugin.add(args, ports), decoded.cniVersion);
        break;
      case 'DEL':
        await plugin.del(args, ports);
        break;
      case 'CHECK':
        await plugin.check(args, ports);
        break;
      case 'STATUS':
      case 'GC':
        await handler?.call(plugin, args, ports);
        break;
    }
    await plugin.closePorts?.(ports);
    return { stdout, stderr: '', exitCode: 0 };
  } catch (err) {
    let cni: CniError;
    try {
      cni = plugin.toCniError(err);
    } catch (mapErr) {
      cni = new CniError(CNI_CODE.UNEXPECTED, (mapErr as Error).message ?? String(mapErr));
    }
    try {
      plugin.onError?.(err, cni, ports);
      if (ports !== undefined) await plugin.closePorts?.(ports);
    } catch {
      // logging must never change what the runtime sees
    }
    return { stdout: printCniError(cni, cniVersion), stderr: '', exitCode: 1 };
  }
}
