import { fieldErrorBody, parseManifest, type FieldError, type KnownManifest } from '@spiderpool/crd-types';
import {
  familyOfCIDR,
  familyOfRanges,
  parseAllocatedIPs,
  validateIPPoolSpec,
  validateReservedIPSpec,
  validateSubnetSpec,
  InvalidSpecError,
  type FamilyFlags,
} from '@spiderpool/ipam-core';
import { parseAllDocuments } from 'yaml';

export interface ValidationProblem {
  readonly file: string;
  /** 1-based index of the YAML document in the file. */
  readonly doc: number;
  /** `Kind/name`, or `-` when the document has neither. */
  readonly object: string;
  readonly path: string;
  readonly detail: string;
}

export interface ValidationReport {
  readonly documents: number;
  /** Documents of other API groups (Deployments, Pods…) that were not checked. */
  readonly skipped: number;
  readonly problems: readonly ValidationProblem[];
}

const SPIDER_GROUP = 'spiderpool.spidernet.io/';
const NAD_GROUP = 'k8s.cni.cncf.io/';

function objectName(raw: unknown): string {
  const o = (raw ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
  const kind = typeof o.kind === 'string' ? o.kind : '-';
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '-';
  return `${kind}/${name}`;
}

/** A field error as a report line: its detail, or its k8s text when it has none (NotSupported, Duplicate). */
const asProblem = (e: FieldError): { path: string; detail: string } => ({
  path: e.path,
  detail: e.detail === '' ? fieldErrorBody(e) : e.detail,
});

/**
 * The pure admission checks of ipam-core over a parsed manifest, after the defaulting the mutating webhook would
 * do (an absent `spec.ipVersion` is derived from `spec.subnet` / `spec.ips[0]`).
 */
function admissionChecks(m: KnownManifest, flags: FamilyFlags): Array<{ path: string; detail: string }> {
  switch (m.kind) {
    case 'SpiderIPPool': {
      const spec = m.value.spec;
      const ipVersion = spec.ipVersion ?? familyOfCIDR(spec.subnet) ?? null;
      const errors = validateIPPoolSpec({ ...spec, ipVersion }, flags, m.value.metadata.labels ?? {}).map(asProblem);
      try {
        parseAllocatedIPs(m.value.status?.allocatedIPs);
      } catch (err) {
        if (!(err instanceof InvalidSpecError)) throw err;
        errors.push(...err.fieldErrors.map(asProblem));
      }
      return errors;
    }
    case 'SpiderSubnet': {
      const spec = m.value.spec;
      const ipVersion = spec.ipVersion ?? familyOfCIDR(spec.subnet) ?? null;
      return validateSubnetSpec({ ...spec, ipVersion }, flags).map(asProblem);
    }
    case 'SpiderReservedIP': {
      const spec = m.value.spec;
      const ipVersion = spec.ipVersion ?? familyOfRanges(spec.ips ?? []) ?? null;
      return validateReservedIPSpec({ ...spec, ipVersion }, flags).map(asProblem);
    }
    default:
      return [];
  }
}

/** Validates every document of one YAML text offline (no cluster). */
export function validateText(file: string, text: string, flags: FamilyFlags): ValidationReport {
  const problems: ValidationProblem[] = [];
  let documents = 0;
  let skipped = 0;
  for (const [i, doc] of parseAllDocuments(text).entries()) {
    const index = i + 1;
    if (doc.errors.length > 0) {
      documents += 1;
      for (const e of doc.errors)
        problems.push({ file, doc: index, object: '-', path: '', detail: `YAML: ${e.message}` });
      continue;
    }
    const raw: unknown = doc.toJS();
    if (raw === null || raw === undefined) continue;
    documents += 1;
    const apiVersion = (raw as { apiVersion?: unknown }).apiVersion;
    if (
      typeof apiVersion === 'string' &&
      !apiVersion.startsWith(SPIDER_GROUP) &&
      !apiVersion.startsWith(NAD_GROUP)
    ) {
      skipped += 1;
      continue;
    }
    const object = objectName(raw);
    const parsed = parseManifest(raw);
    if (!parsed.ok) {
      for (const issue of parsed.issues) problems.push({ file, doc: index, object, path: issue.path, detail: issue.message });
      continue;
    }
    const { ok: _ok, ...manifest } = parsed;
    for (const e of admissionChecks(manifest as KnownManifest, flags))
      problems.push({ file, doc: index, object, path: e.path, detail: e.detail });
  }
  return { documents, skipped, problems };
}

/** `file:doc Kind/name: path: detail` (the path part is left out for root-level problems). */
export function formatProblem(p: ValidationProblem): string {
  return `${p.file}:${p.doc} ${p.object}: ${p.path === '' ? '' : `${p.path}: `}${p.detail}`;
}
