// The CNI plugins' view of the agent: one method per operation of @spiderpool/agent-api.
// Implementations throw AgentCallError subclasses (see ../errors.ts).
import type {
  CoordinatorConfig,
  CoordinatorConfigQuery,
  IpamAddArgs,
  IpamAddResponse,
  IpamBatchDelArgs,
  IpamDelArgs,
  WorkloadEndpointQuery,
  WorkloadEndpointStatus,
} from '@spiderpool/agent-api';

export interface AgentClient {
  healthy(): Promise<void>;
  allocate(args: IpamAddArgs): Promise<IpamAddResponse>;
  release(args: IpamDelArgs): Promise<void>;
  releaseAll(args: IpamBatchDelArgs): Promise<void>;
  coordinatorConfig(query: CoordinatorConfigQuery): Promise<CoordinatorConfig>;
  workloadEndpoint(query: WorkloadEndpointQuery): Promise<WorkloadEndpointStatus>;
}
