import { z } from 'zod';
import { CniBadOutputError, CniFailedError } from './errors.js';
import type { ProcessRunner } from './process-runner.port.js';

const cniResultSchema = z.object({
  cniVersion: z.string().optional(),
  interfaces: z
    .array(z.object({ name: z.string(), mac: z.string().optional(), sandbox: z.string().optional() }))
    .optional(),
  ips: z
    .array(
      z.object({ address: z.string(), gateway: z.string().optional(), interface: z.number().optional() }),
    )
    .default([]),
  routes: z.array(z.object({ dst: z.string(), gw: z.string().optional() })).optional(),
});
export type CniResult = z.infer<typeof cniResultSchema>;

const cniErrorSchema = z.object({ code: z.number(), msg: z.string(), details: z.string().optional() });

/** The pod identity a runtime passes to the chain in CNI_ARGS. */
export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface CniCall {
  containerId: string;
  netnsPath: string;
  ifName: string;
  pod: PodRef;
}

/** Invokes the node's entry plugin exactly as containerd does: CNI_* env, network config on stdin. */
export class CniInvoker {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly options: {
      /** Directory with the plugin executables (CNI_PATH). */
      binDir: string;
      /** Entry plugin config (`00-multus.conf` content). */
      conf: Record<string, unknown>;
      timeoutMs?: number;
      /** Extra variables for every call (inherited by Multus' delegates), e.g. a per-node agent socket. */
      extraEnv?: Record<string, string>;
    },
  ) {}

  async add(call: CniCall): Promise<CniResult> {
    const out = await this.exec('ADD', call);
    let json: unknown;
    try {
      json = JSON.parse(out);
    } catch (cause) {
      throw new CniBadOutputError(`CNI ADD printed no JSON result: ${out.slice(0, 200)}`, { cause });
    }
    const parsed = cniResultSchema.safeParse(json);
    if (!parsed.success) throw new CniBadOutputError(`CNI ADD result is malformed: ${parsed.error.message}`);
    return parsed.data;
  }

  async del(call: CniCall): Promise<void> {
    await this.exec('DEL', call);
  }

  /** The environment for one call; exported for inspection in tests. */
  env(command: 'ADD' | 'DEL', call: CniCall): Record<string, string> {
    return {
      ...this.options.extraEnv,
      CNI_COMMAND: command,
      CNI_CONTAINERID: call.containerId,
      CNI_NETNS: call.netnsPath,
      CNI_IFNAME: call.ifName,
      CNI_PATH: this.options.binDir,
      CNI_ARGS: [
        'IgnoreUnknown=1',
        `K8S_POD_NAMESPACE=${call.pod.namespace}`,
        `K8S_POD_NAME=${call.pod.name}`,
        `K8S_POD_INFRA_CONTAINER_ID=${call.containerId}`,
        `K8S_POD_UID=${call.pod.uid}`,
      ].join(';'),
    };
  }

  private async exec(command: 'ADD' | 'DEL', call: CniCall): Promise<string> {
    const type = String(this.options.conf['type'] ?? '');
    const result = await this.runner.run(`${this.options.binDir}/${type}`, [], {
      env: this.env(command, call),
      input: JSON.stringify(this.options.conf),
      timeoutMs: this.options.timeoutMs ?? 120_000,
    });
    if (result.exitCode === 0) return result.stdout;
    const parsed = cniErrorSchema.safeParse(safeJson(result.stdout));
    if (parsed.success) {
      const { code, msg, details } = parsed.data;
      throw new CniFailedError(command, code, details ? `${msg}: ${details}` : msg);
    }
    const detail = (result.stderr || result.stdout).trim().slice(0, 2000) || `exit code ${result.exitCode}`;
    throw new CniFailedError(command, 0, detail);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
