import { decideRecordGc, traceDeadlineMs, type GcConfig, type GcInput, type GcPod } from './gc-decision.js';

const config: GcConfig = {
  enabled: true,
  statelessTerminatingOnReadyNode: true,
  statelessTerminatingOnNotReadyNode: true,
  statelessRunningOnEmptyPodIPs: false,
  additionalGraceDelaySeconds: 0,
};
const NOW = 1_000_000;
const running: GcPod = { uid: 'u1', phase: 'Running', podIPs: ['10.0.0.5'] };
const terminating = (over: Partial<GcPod> = {}): GcPod => ({
  ...running,
  deletionTimestampMs: NOW - 10_000,
  deletionGracePeriodSeconds: 30,
  ...over,
});

function gc(over: Partial<GcInput>): ReturnType<typeof decideRecordGc> {
  return decideRecordGc({
    record: { pod: 'default/web-0', podUid: 'u1' },
    endpoint: { uid: 'u1', ownerControllerType: 'Deployment' },
    pod: running,
    node: 'ready',
    staticValid: false,
    nowMs: NOW,
    config,
    ...over,
  });
}

describe('GC decision per record (ipam.md §9.3, §9.4)', () => {
  it.each<
    [string, Partial<GcInput>, { record: string; endpoint?: string; trace?: boolean; reason?: string }]
  >([
    [
      'GC disabled',
      { pod: undefined, endpoint: 'absent', config: { ...config, enabled: false } },
      { record: 'keep', reason: 'GcDisabled' },
    ],
    [
      'pod deleted, no endpoint',
      { pod: undefined, endpoint: 'absent' },
      { record: 'release', reason: 'PodGoneNoEndpoint' },
    ],
    ['pod deleted, endpoint unreadable', { pod: undefined, endpoint: 'error' }, { record: 'keep' }],
    ['pod deleted, stateless endpoint', { pod: undefined }, { record: 'release', endpoint: 'reclaim' }],
    [
      'pod deleted, valid StatefulSet member',
      { pod: undefined, endpointStaticKind: 'StatefulSet', staticValid: true },
      { record: 'keep', endpoint: 'keep' },
    ],
    [
      'pod deleted, StatefulSet scaled down',
      { pod: undefined, endpointStaticKind: 'StatefulSet' },
      { record: 'release', endpoint: 'reclaim' },
    ],
    [
      'KubeVirt VM deleted',
      { pod: undefined, endpointStaticKind: 'KubeVirt' },
      { record: 'release', endpoint: 'reclaim' },
    ],
    ['running pod with IPs', {}, { record: 'keep', reason: 'PodHasIPs' }],
    [
      'pending pod',
      { pod: { ...running, phase: 'Pending', podIPs: [] } },
      { record: 'keep', reason: 'PodPending' },
    ],
    ['running stateless, empty podIPs, flag off', { pod: { ...running, podIPs: [] } }, { record: 'keep' }],
    [
      'running stateless, empty podIPs, flag on',
      { pod: { ...running, podIPs: [] }, config: { ...config, statelessRunningOnEmptyPodIPs: true } },
      { record: 'release', endpoint: 'reclaim' },
    ],
    [
      'terminating within grace',
      { pod: terminating() },
      { record: 'keep', trace: true, reason: 'TerminatingWithinGrace' },
    ],
    [
      'terminating past grace',
      { pod: terminating({ deletionGracePeriodSeconds: 5 }) },
      { record: 'release', endpoint: 'reclaim', reason: 'TerminatingPastGrace' },
    ],
    [
      'terminating past grace, delay not yet over',
      {
        pod: terminating({ deletionGracePeriodSeconds: 5 }),
        config: { ...config, additionalGraceDelaySeconds: 60 },
      },
      { record: 'keep', trace: true },
    ],
    [
      'terminating past grace, NotReady gate closed',
      {
        pod: terminating({ deletionGracePeriodSeconds: 5 }),
        node: 'notReady',
        config: { ...config, statelessTerminatingOnNotReadyNode: false },
      },
      { record: 'keep', reason: 'TerminatingNodeGateClosed' },
    ],
    [
      'terminating past grace on a deleted node (gap fixed)',
      { pod: terminating({ deletionGracePeriodSeconds: 5 }), node: 'missing' },
      { record: 'release' },
    ],
    [
      'terminating, node unreadable',
      { pod: terminating({ deletionGracePeriodSeconds: 5 }), node: 'unknown' },
      { record: 'keep', reason: 'NodeUnknown' },
    ],
    [
      'terminating stateless, empty podIPs',
      { pod: terminating({ podIPs: [] }) },
      { record: 'release', reason: 'NoPodIPs' },
    ],
    [
      'terminating valid StatefulSet pod with empty podIPs is kept (gap fixed)',
      { pod: terminating({ podIPs: [], staticKind: 'StatefulSet' }), staticValid: true },
      { record: 'keep', endpoint: 'keep', reason: 'StaticPodValid' },
    ],
    [
      'terminating StatefulSet pod past grace, scaled down',
      { pod: terminating({ deletionGracePeriodSeconds: 5, staticKind: 'StatefulSet' }) },
      { record: 'release', endpoint: 'reclaim' },
    ],
    [
      'failed stateless pod not terminating',
      { pod: { ...running, phase: 'Failed' } },
      { record: 'keep', reason: 'CompletedStateless' },
    ],
    [
      'succeeded valid static pod is traced',
      { pod: { ...running, phase: 'Succeeded', staticKind: 'KubeVirt' }, staticValid: true },
      { record: 'keep', trace: true },
    ],
    [
      'pod re-created with the same name (stateless)',
      { pod: { ...running, uid: 'u2' }, endpoint: { uid: 'u1', ownerControllerType: 'Deployment' } },
      { record: 'release', endpoint: 'reclaim', reason: 'UidMismatch' },
    ],
    [
      'StatefulSet pod re-created, still valid, not started',
      { pod: { ...running, uid: 'u2', podIPs: [], staticKind: 'StatefulSet' }, staticValid: true },
      { record: 'keep', endpoint: 'keep' },
    ],
    [
      'stale endpoint of a new stateless pod: endpoint reclaimed, current record kept',
      { pod: { ...running, uid: 'u1' }, endpoint: { uid: 'u0', ownerControllerType: 'Deployment' } },
      { record: 'keep', endpoint: 'reclaim', reason: 'UidMismatch' },
    ],
  ])('%s', (_name, over, expected) => {
    expect(gc(over)).toMatchObject(expected);
  });

  it('computes trace deadlines with the additional delay', () => {
    const c = { additionalGraceDelaySeconds: 2 };
    expect(traceDeadlineMs({ kind: 'deleted', nowMs: 1000 }, c)).toBe(3000);
    expect(
      traceDeadlineMs({ kind: 'terminating', deletionTimestampMs: 1000, deletionGracePeriodSeconds: 30 }, c),
    ).toBe(33000);
    expect(traceDeadlineMs({ kind: 'completed', finishedAtMs: 0, terminationGracePeriodSeconds: 1 }, c)).toBe(
      3000,
    );
  });
});
