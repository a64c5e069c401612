import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ALL_CRDS } from '../parse-manifest.js';
import { SpiderIPPoolCrd } from '../spider-ippool.schema.js';
import { crdManifest, diffCrdFiles, GENERATED_BANNER, renderAllCrdFiles } from './crd-manifest.js';
import type { StructuralSchema } from './openapi-schema.js';

const chartDir = new URL('../../../../../charts/spiderpool/crds/', import.meta.url);

type Version = {
  additionalPrinterColumns?: { name: string; priority?: number }[];
  schema: { openAPIV3Schema: StructuralSchema };
  subresources?: Record<string, unknown>;
};
function versionOf(crd: (typeof ALL_CRDS)[number]): Version {
  const [version] = (crdManifest(crd)['spec'] as { versions: Version[] }).versions;
  if (!version) throw new Error(`${crd.crdName} has no version`);
  return version;
}

describe('generated CRDs', () => {
  it('match the checked-in chart files (golden; `nx run crd-types:verify` does the same)', () => {
    const expected = renderAllCrdFiles(ALL_CRDS);
    const actual = new Map(
      readdirSync(chartDir)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => [f, readFileSync(new URL(f, chartDir), 'utf8')] as const),
    );
    expect(diffCrdFiles(expected, actual)).toEqual([]);
    expect(actual.size).toBe(7);
  });

  it('start with the DO-NOT-EDIT banner naming the command and parse as one CRD each', () => {
    for (const [file, text] of renderAllCrdFiles(ALL_CRDS)) {
      expect(text.startsWith(GENERATED_BANNER)).toBe(true);
      expect(GENERATED_BANNER).toContain('nx run crd-types:generate');
      const doc = parse(text) as { kind: string; metadata: { name: string } };
      expect(doc.kind).toBe('CustomResourceDefinition');
      expect(`${doc.metadata.name}.yaml`).toBe(file);
    }
  });

  it('give SpiderIPPool the short name sp and the upstream columns', () => {
    const spec = crdManifest(SpiderIPPoolCrd)['spec'] as { names: { shortNames: string[] }; scope: string };
    expect(spec.names.shortNames).toEqual(['sp']);
    expect(spec.scope).toBe('Cluster');
    const columns = versionOf(SpiderIPPoolCrd).additionalPrinterColumns ?? [];
    expect(columns.filter((c) => !c.priority).map((c) => c.name)).toEqual([
      'VERSION',
      'SUBNET',
      'ALLOCATED-IP-COUNT',
      'TOTAL-IP-COUNT',
      'DEFAULT',
    ]);
    expect(columns.filter((c) => c.priority === 10).map((c) => c.name)).toEqual([
      'DISABLE',
      'NodeName',
      'MultusName',
      'APP-NAMESPACE',
    ]);
  });

  it('use the upstream names, scopes and subresources', () => {
    const table = ALL_CRDS.map((crd) => {
      const spec = crdManifest(crd)['spec'] as { names: { shortNames?: string[] }; scope: string };
      const sub = versionOf(crd).subresources;
      return [crd.crdName, spec.names.shortNames?.[0], spec.scope, sub === undefined ? '-' : Object.keys(sub).join()];
    });
    expect(table).toEqual([
      ['spiderippools.spiderpool.spidernet.io', 'sp', 'Cluster', 'status'],
      ['spidersubnets.spiderpool.spidernet.io', 'ss', 'Cluster', 'status'],
      ['spiderreservedips.spiderpool.spidernet.io', 'sr', 'Cluster', ''],
      ['spiderendpoints.spiderpool.spidernet.io', 'se', 'Namespaced', ''],
      ['spidermultusconfigs.spiderpool.spidernet.io', 'smc', 'Namespaced', '-'],
      ['spidercoordinators.spiderpool.spidernet.io', 'scc', 'Cluster', 'status'],
      ['network-attachment-definitions.k8s.cni.cncf.io', 'net-attach-def', 'Namespaced', '-'],
    ]);
  });

  it('are structural: every node typed, no $ref/anyOf, no properties beside additionalProperties', () => {
    const problems: string[] = [];
    const walk = (s: StructuralSchema & Record<string, unknown>, path: string) => {
      for (const banned of ['$ref', 'anyOf', 'oneOf', 'allOf', 'not', '$schema', 'const']) {
        if (banned in s) problems.push(`${path}: ${banned}`);
      }
      if (!s.type && !s['x-kubernetes-preserve-unknown-fields'] && !s['x-kubernetes-int-or-string']) {
        problems.push(`${path}: no type`);
      }
      if (s.properties && s.additionalProperties) problems.push(`${path}: properties and additionalProperties`);
      if (typeof s.additionalProperties === 'boolean') problems.push(`${path}: additionalProperties boolean`);
      for (const [k, v] of Object.entries(s.properties ?? {})) walk(v as never, `${path}.${k}`);
      for (const r of s.required ?? []) if (!s.properties?.[r]) problems.push(`${path}: required ${r} undeclared`);
      if (s.items) walk(s.items as never, `${path}[]`);
      if (s.additionalProperties) walk(s.additionalProperties as never, `${path}{}`);
    };
    for (const crd of ALL_CRDS) walk(versionOf(crd).schema.openAPIV3Schema as never, crd.names.kind);
    expect(problems).toEqual([]);
  });

  it('diffCrdFiles lists changed, missing and foreign files', () => {
    const expected = new Map([
      ['a.yaml', 'A'],
      ['b.yaml', 'B'],
    ]);
    const actual = new Map([
      ['a.yaml', 'A (edited)'],
      ['c.yaml', 'C'],
    ]);
    expect(diffCrdFiles(expected, actual)).toEqual([
      { file: 'a.yaml', reason: 'changed' },
      { file: 'b.yaml', reason: 'missing' },
      { file: 'c.yaml', reason: 'not generated' },
    ]);
  });
});
