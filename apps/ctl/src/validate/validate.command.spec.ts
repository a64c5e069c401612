import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatProblem, validateText } from './validate.command.js';

const seedsDir = fileURLToPath(new URL('../../../../libs/crd-types/src/fixtures/seeds/', import.meta.url));
const seedFiles = readdirSync(seedsDir).filter((f) => f.endsWith('.yaml')).sort();
const both = { enableIPv4: true, enableIPv6: true };
const read = (url: URL) => readFileSync(url, 'utf8');

describe('validate (offline)', () => {
  it('finds the 22 seed fixtures', () => {
    expect(seedFiles).toHaveLength(22);
  });

  it.each(seedFiles)('seed %s is valid', (file) => {
    const report = validateText(file, readFileSync(`${seedsDir}${file}`, 'utf8'), both);
    expect(report.problems.map(formatProblem)).toEqual([]);
    expect(report.documents).toBe(1);
  });

  it('reports every problem of a bad file in the golden format', () => {
    const report = validateText('bad.yaml', read(new URL('./fixtures/bad.yaml', import.meta.url)), both);
    const expected = read(new URL('./fixtures/bad.expected', import.meta.url)).trimEnd().split('\n');
    expect(report.problems.map(formatProblem)).toEqual(expected);
    expect(report.skipped).toBe(1);
  });

  it('rejects a family the cluster disables and derives ipVersion like the mutating webhook', () => {
    const text = [
      'apiVersion: spiderpool.spidernet.io/v2beta1',
      'kind: SpiderIPPool',
      'metadata: {name: v6}',
      'spec: {subnet: "fd00::/120", ips: ["fd00::10-fd00::20"]}',
    ].join('\n');
    expect(validateText('f', text, both).problems).toEqual([]);
    const problems = validateText('f', text, { enableIPv4: true, enableIPv6: false }).problems;
    expect(problems.map((p) => p.path)).toEqual(['spec.ipVersion']);
  });

  it('gives an error without a detail its k8s text (NotSupported names the supported values)', () => {
    const text = [
      'apiVersion: spiderpool.spidernet.io/v2beta1',
      'kind: SpiderIPPool',
      'metadata: {name: p}',
      'spec: {subnet: "10.0.0.0/24", podAffinity: {matchExpressions: [{key: a, operator: Near, values: [b]}]}}',
    ].join('\n');
    expect(validateText('f', text, both).problems.map((p) => `${p.path}: ${p.detail}`)).toEqual([
      'spec.podAffinity.matchExpressions[0].operator: Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
    ]);
  });

  it('reports YAML syntax errors and malformed allocatedIPs', () => {
    expect(validateText('f', 'a: [1,', both).problems[0]?.detail).toMatch(/^YAML: /);
    const text = [
      'apiVersion: spiderpool.spidernet.io/v2beta1',
      'kind: SpiderIPPool',
      'metadata: {name: p}',
      'spec: {subnet: 10.0.0.0/24, ips: [10.0.0.10]}',
      'status: {allocatedIPs: "{not json"}',
    ].join('\n');
    expect(validateText('f', text, both).problems.map((p) => p.path)).toEqual(['status.allocatedIPs']);
  });
});
