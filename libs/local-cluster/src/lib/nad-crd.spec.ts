import { extractCrd } from './nad-crd.js';

const stream = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: multus
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: network-attachment-definitions.k8s.cni.cncf.io
spec:
  group: k8s.cni.cncf.io
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: other.example.com
`;

describe('extractCrd', () => {
  it('returns only the named CRD document', () => {
    const out = extractCrd(stream, 'network-attachment-definitions.k8s.cni.cncf.io');
    expect(out).toContain('group: k8s.cni.cncf.io');
    expect(out).not.toContain('ServiceAccount');
    expect(out).not.toContain('other.example.com');
  });

  it('returns undefined when absent', () => {
    expect(extractCrd(stream, 'nope.example.com')).toBeUndefined();
  });
});
