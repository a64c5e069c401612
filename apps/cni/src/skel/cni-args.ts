// CNI_ARGS: `K=V;K=V`. Known keys per the Kubernetes runtime; unknown keys are an error unless
// IgnoreUnknown is 1/true (kubelet always sends IgnoreUnknown=1).
export interface CniArgs {
  podName: string;
  podNamespace: string;
  podUID: string;
  podInfraContainerId: string;
  ip: string;
}

const KNOWN = [
  'IgnoreUnknown',
  'IP',
  'K8S_POD_NAME',
  'K8S_POD_NAMESPACE',
  'K8S_POD_INFRA_CONTAINER_ID',
  'K8S_POD_UID',
];

export type CniArgsOutcome = { ok: true; args: CniArgs } | { ok: false; message: string };

export function parseCniArgs(raw: string | undefined): CniArgsOutcome {
  const values = new Map<string, string>();
  for (const pair of (raw ?? '').split(';')) {
    if (pair === '') continue;
    const [key, value, ...rest] = pair.split('=');
    if (key === undefined || value === undefined || rest.length > 0) {
      return { ok: false, message: `ARGS: invalid pair "${pair}"` };
    }
    values.set(key, value);
  }
  const ignore = values.get('IgnoreUnknown');
  const ignoreUnknown = ignore === '1' || ignore?.toLowerCase() === 'true';
  const unknown = [...values.keys()].filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0 && !ignoreUnknown)
    return { ok: false, message: `ARGS: unknown args [${unknown.join(' ')}]` };
  return {
    ok: true,
    args: {
      podName: values.get('K8S_POD_NAME') ?? '',
      podNamespace: values.get('K8S_POD_NAMESPACE') ?? '',
      podUID: values.get('K8S_POD_UID') ?? '',
      podInfraContainerId: values.get('K8S_POD_INFRA_CONTAINER_ID') ?? '',
      ip: values.get('IP') ?? '',
    },
  };
}
