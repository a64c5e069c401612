import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Where the NetworkAttachmentDefinition CRD comes from: our generated chart CRDs when they include it, else the
 * multus module zip in the Go module cache (`deployments/multus-daemonset.yml`). Returns YAML text, or undefined.
 */
export function findNadCrd(args: {
  crdDir: string;
  goModCache: string;
  multusVersion?: string;
}): { source: string; yaml: string } | undefined {
  if (existsSync(args.crdDir)) {
    for (const file of readdirSync(args.crdDir).filter((f) => /\.ya?ml$/.test(f))) {
      const text = readFileSync(join(args.crdDir, file), 'utf8');
      if (/network-attachment-definitions\.k8s\.cni\.cncf\.io/.test(text))
        return { source: join(args.crdDir, file), yaml: text };
    }
  }
  const moduleDir = join(args.goModCache, 'gopkg.in', 'k8snetworkplumbingwg');
  if (!existsSync(moduleDir)) return undefined;
  const candidates = readdirSync(moduleDir)
    .filter((d) => d.startsWith('multus-cni.v4@'))
    .sort((a, b) => (args.multusVersion && a.endsWith(args.multusVersion) ? -1 : b.localeCompare(a)));
  for (const dir of candidates) {
    const path = join(moduleDir, dir, 'deployments', 'multus-daemonset.yml');
    if (!existsSync(path)) continue;
    const crd = extractCrd(readFileSync(path, 'utf8'), 'network-attachment-definitions.k8s.cni.cncf.io');
    if (crd) return { source: path, yaml: crd };
  }
  return undefined;
}

/** The one CustomResourceDefinition document named `name` from a multi-document YAML stream. */
export function extractCrd(stream: string, name: string): string | undefined {
  for (const doc of parseAllDocuments(stream)) {
    const obj = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
    if (obj?.kind === 'CustomResourceDefinition' && obj.metadata?.name === name) return doc.toString();
  }
  return undefined;
}
