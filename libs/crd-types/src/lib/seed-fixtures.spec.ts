import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { parseManifest } from './parse-manifest.js';

const fixturesDir = new URL('../fixtures/seeds/', import.meta.url);
const fixtureFiles = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('seed fixtures (every CRD object of shared/seeds)', () => {
  it('holds the objects of all five seed guides', () => {
    const seeds = new Set(fixtureFiles.map((f) => f.slice(0, 3)));
    expect([...seeds]).toEqual(['000', '001', '002', '003', '004']);
    expect(fixtureFiles).toHaveLength(22);
  });

  it.each(fixtureFiles)('%s parses with the schema of its kind', (file) => {
    const docs = parseAllDocuments(readFileSync(new URL(file, fixturesDir), 'utf8'));
    expect(docs).toHaveLength(1);
    const raw = docs[0]?.toJS() as { kind: string };
    const result = parseManifest(raw);
    if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.issues)}`);
    expect(result.kind).toBe(raw.kind);
  });

  it('applies CRD defaults while parsing (seed 003 pool without `default`)', () => {
    const raw = parseAllDocuments(readFileSync(new URL('003-2.yaml', fixturesDir), 'utf8'))[0]?.toJS();
    const result = parseManifest(raw);
    expect(result.ok && result.kind === 'SpiderIPPool' && result.value.spec).toMatchObject({
      subnet: '10.6.0.0/16',
      default: false,
      disable: false,
    });
  });
});
