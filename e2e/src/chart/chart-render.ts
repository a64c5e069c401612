import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWorkspaceRoot, resolveBinaries } from '@spiderpool/testing';
import { parseAllDocuments } from 'yaml';

export const workspaceRoot = findWorkspaceRoot(dirname(fileURLToPath(import.meta.url)));
export const chartDir = join(workspaceRoot, 'charts', 'spiderpool');

/** One rendered Kubernetes object (only the fields the tests read are typed). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

let reported = false;

/** The pinned helm binary, or undefined after printing one line saying why the chart tests skip. */
export function helmBinary(): string | undefined {
  const helm = resolveBinaries().helm;
  if (!helm && !reported) {
    reported = true;
    process.stderr.write('[chart] skipped: no helm binary (SP_HELM); run tools/build-binaries.sh\n');
  }
  return helm;
}

/** `helm template` of charts/spiderpool with `--set` flags; returns the parsed objects. */
export async function renderChart(helm: string, sets: string[] = [], namespace = 'kube-system'): Promise<KubeObject[]> {
  const args = ['template', 'spiderpool', chartDir, '--namespace', namespace, '--include-crds'];
  for (const s of sets) args.push('--set', s);
  const { stdout } = await execa(helm, args);
  return parseAllDocuments(stdout)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === 'object' && 'kind' in o);
}

/** `helm lint` with `--set` flags; resolves with the combined output, rejects when lint fails. */
export async function lintChart(helm: string, sets: string[] = []): Promise<string> {
  const args = ['lint', chartDir, '--strict'];
  for (const s of sets) args.push('--set', s);
  const r = await execa(helm, args, { all: true });
  return r.all ?? '';
}

export function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

interface Container {
  name: string;
  image: string;
  env?: Array<{ name: string; value?: string }>;
  command?: string[];
  args?: string[];
}
interface PodTemplateOwner {
  spec: { template: { spec: { containers: Container[]; initContainers?: Container[] } } };
}

/** All containers (init first) of a Deployment/DaemonSet/Job. */
export function containersOf(o: KubeObject): Container[] {
  const pod = (o as unknown as PodTemplateOwner).spec.template.spec;
  return [...(pod.initContainers ?? []), ...pod.containers];
}

/** The literal env value of `name` in container `container` of `o`. */
export function envOf(o: KubeObject, container: string, name: string): string | undefined {
  const c = containersOf(o).find((x) => x.name === container);
  return c?.env?.find((e) => e.name === name)?.value;
}
