import {
  and,
  annotationChanged,
  annotationsChanged,
  deletionTimestampSet,
  generationChanged,
  labelChanged,
  labelsChanged,
  not,
  or,
  resourceVersionChanged,
  type Predicate,
} from './predicates.js';
import type { KubeObject } from './object-key.js';

const obj = (meta: NonNullable<KubeObject['metadata']>): KubeObject => ({ metadata: { name: 'p', ...meta } });

describe('predicates', () => {
  it('generationChanged ignores status-only updates', () => {
    expect(
      generationChanged(
        obj({ generation: 1, resourceVersion: '1' }),
        obj({ generation: 1, resourceVersion: '2' }),
      ),
    ).toBe(false);
    expect(generationChanged(obj({ generation: 1 }), obj({ generation: 2 }))).toBe(true);
  });

  it('resourceVersionChanged is false for a resync of the same object', () => {
    const o = obj({ resourceVersion: '7' });
    expect(resourceVersionChanged(o, o)).toBe(false);
    expect(resourceVersionChanged(o, obj({ resourceVersion: '8' }))).toBe(true);
  });

  it('labelsChanged compares the whole map, order-insensitive, missing = empty', () => {
    expect(labelsChanged(obj({ labels: { a: '1', b: '2' } }), obj({ labels: { b: '2', a: '1' } }))).toBe(
      false,
    );
    expect(labelsChanged(obj({}), obj({ labels: {} }))).toBe(false);
    expect(labelsChanged(obj({ labels: { a: '1' } }), obj({ labels: { a: '2' } }))).toBe(true);
    expect(labelsChanged(obj({ labels: { a: '1' } }), obj({ labels: { a: '1', b: '' } }))).toBe(true);
  });

  it('labelChanged/annotationChanged watch one key only', () => {
    const p = annotationChanged('x');
    expect(p(obj({ annotations: { x: '1', y: '1' } }), obj({ annotations: { x: '1', y: '2' } }))).toBe(false);
    expect(p(obj({ annotations: { x: '1' } }), obj({ annotations: {} }))).toBe(true);
    expect(labelChanged('l')(obj({}), obj({ labels: { l: 'v' } }))).toBe(true);
    expect(annotationsChanged(obj({ annotations: { y: '1' } }), obj({ annotations: { y: '2' } }))).toBe(true);
  });

  it('deletionTimestampSet fires only on the transition', () => {
    const ts = '2026-01-01T00:00:00Z';
    expect(deletionTimestampSet(obj({}), obj({ deletionTimestamp: ts }))).toBe(true);
    expect(deletionTimestampSet(obj({ deletionTimestamp: ts }), obj({ deletionTimestamp: ts }))).toBe(false);
    expect(deletionTimestampSet(obj({}), obj({}))).toBe(false);
  });

  it('combinators compose', () => {
    const yes: Predicate = () => true;
    const no: Predicate = () => false;
    const o = obj({});
    expect(and(yes, yes)(o, o)).toBe(true);
    expect(and(yes, no)(o, o)).toBe(false);
    expect(or(no, yes)(o, o)).toBe(true);
    expect(or(no, no)(o, o)).toBe(false);
    expect(not(no)(o, o)).toBe(true);
    const specOrLabels = or(generationChanged, labelsChanged);
    expect(specOrLabels(obj({ generation: 1 }), obj({ generation: 1, labels: { a: 'b' } }))).toBe(true);
    expect(specOrLabels(obj({ generation: 1 }), obj({ generation: 1, resourceVersion: '9' }))).toBe(false);
  });
});
