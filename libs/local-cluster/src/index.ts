export {
  startLocalCluster,
  nodeSocket,
  DEFAULT_NETWORK_NAME,
  type LocalCluster,
  type LocalClusterOptions,
  type NetworkAttachmentSpec,
} from './lib/local-cluster.js';
export {
  resolveTopology,
  zoneSchema,
  simulatedNodeSchema,
  inSubnet,
  zoneGatewayAddresses,
  hasIPv6,
  extraSubnetSchema,
  type ExtraSubnet,
  type Zone,
  type SimulatedNode,
  type ResolvedNode,
} from './lib/topology.js';
export {
  hostLocalIpam,
  zoneNetworkConfig,
  multusConf,
  networkAttachmentDefinition,
  CNI_VERSION,
  type IpamConfig,
  type UnderlayPlugin,
} from './lib/cni-conf.js';
export { CniInvoker, type CniCall, type CniResult, type PodRef } from './lib/cni-invoker.js';
export { NodeSimulator, FAILED_CREATE_POD_SANDBOX, type NodeSimulatorOptions } from './lib/node-simulator.js';
export {
  PodWorkQueue,
  realScheduler,
  type Scheduler,
  type PodWorkQueueOptions,
} from './lib/pod-work-queue.js';
export { runningPodStatus, podIPsFromResult } from './lib/pod-status.js';
export { Underlay, type UnderlayLayout } from './lib/underlay.js';
export type { HostNetworkPort } from './lib/host-network.port.js';
export { NetlinkHostNetwork } from './lib/netlink-host-network.js';
export type { ClusterApiPort, PodEventType, PodWatch } from './lib/cluster-api.port.js';
export { ClientNodeClusterApi } from './lib/client-node-cluster-api.js';
export type { ProcessRunner, RunOptions, RunResult } from './lib/process-runner.port.js';
export { ExecaProcessRunner } from './lib/execa-process-runner.js';
export {
  startComponent,
  fillPlaceholders,
  type ComponentSpec,
  type ComponentVars,
  type RunningComponent,
} from './lib/component-process.js';
export { sweepLocalClusters, DEFAULT_STATE_BASE, type LocalSweepResult } from './lib/run-state.js';
export { newRunId, runNames, runIdOf, RUN_PREFIX, type RunNames } from './lib/run-names.js';
export { findNadCrd, extractCrd } from './lib/nad-crd.js';
export { kubeadmConfigMap } from './lib/kubeadm-config.js';
export {
  customMultusConfig,
  seedMultusConfig,
  MACVLAN_MASTER_PLACEHOLDER,
  type MultusConfigSpec,
} from './lib/multus-config.js';
export { runClusterCli, type CliIo } from './lib/cluster-cli.js';
export {
  defaultScenario,
  seed000Scenario,
  seed001Scenario,
  seed003Scenario,
  seed004Scenario,
  scenarioByName,
  SEED_FIXTURES_DIR,
  type Scenario,
} from './lib/scenarios.js';
export {
  LocalClusterError,
  CniFailedError,
  CniBadOutputError,
  HostNetworkError,
  ComponentStartError,
  ClusterStartError,
  InvalidTopologyError,
  type LocalClusterErrorCode,
} from './lib/errors.js';
export {
  buildSpiderpool,
  spiderpoolArtifacts,
  spiderpoolPreset,
  chartControllerEnv,
  AGENT_SOCKET_ENV,
  SPIDERPOOL_NAMESPACE,
  WEBHOOK_CONFIGURATION_NAME,
  type SpiderpoolArtifacts,
  type SpiderpoolComponentsOptions,
  type SpiderpoolPreset,
} from './lib/spiderpool-components.js';
