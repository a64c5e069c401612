import {
  AGENT_PATHS,
  AgentApiError,
  CoordinatorConfig,
  CoordinatorConfigQuery,
  IpamAddArgs,
  IpamAddResponse,
  IpamBatchDelArgs,
  IpamDelArgs,
  parseWireOrThrow,
  WorkloadEndpointQuery,
  WorkloadEndpointStatus,
} from '@spiderpool/agent-api';
import {
  Body,
  Catch,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpException,
  Inject,
  Post,
  Query,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Logger } from 'pino';
import {
  COORDINATOR_CONFIG_SERVICE,
  type CoordinatorConfigService,
} from '../coordinator/coordinator-config.service.js';
import { AGENT_METRICS, type AgentMetrics } from '../observability/agent-metrics.js';
import { AGENT_LOG_FIELDS as F } from '../observability/log-fields.js';
import { LOGGER } from '../observability/observability.tokens.js';
import { toAgentApiError } from './agent-error.mapper.js';
import { IPAM_SERVICE, type IpamService } from './ipam.service.js';

const path = (p: string): string => p.replace(/^\/v1\//, '');

/**
 * The unix-socket HTTP edge of the agent (agent-api contract, base path /v1). Requests and responses are validated
 * against the agent-api schemas at the boundary; every failure leaves through `AgentErrorFilter`.
 */
@Controller('v1')
export class IpamController {
  constructor(
    @Inject(IPAM_SERVICE) private readonly ipam: IpamService,
    @Inject(AGENT_METRICS) private readonly metrics: AgentMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(COORDINATOR_CONFIG_SERVICE) private readonly coordinator: CoordinatorConfigService,
  ) {}

  @Get(path(AGENT_PATHS.ipamHealthy))
  healthy(): void {
    this.ipam.assertServing();
  }

  @Post(path(AGENT_PATHS.ipamIp))
  @HttpCode(200)
  async add(@Body() body: unknown): Promise<IpamAddResponse> {
    const args = parseWireOrThrow(IpamAddArgs, body, 'IpamAddArgs');
    const log = this.logger.child({
      [F.operation]: 'add',
      [F.containerId]: args.containerID,
      [F.ifName]: args.ifName,
      [F.namespace]: args.podNamespace,
      [F.name]: args.podName,
    });
    const started = performance.now();
    try {
      const res = await this.ipam.allocate(args);
      this.metrics.allocationDone((performance.now() - started) / 1000);
      log.debug({ ips: res.ips.map((i) => i.address) }, 'allocated');
      return parseWireOrThrow(IpamAddResponse, res, 'IpamAddResponse', 'INTERNAL');
    } catch (err) {
      this.metrics.allocationDone((performance.now() - started) / 1000, err);
      log.info({ [F.err]: err }, 'allocation failed');
      throw err;
    }
  }

  @Delete(path(AGENT_PATHS.ipamIp))
  async del(@Body() body: unknown): Promise<void> {
    const args = parseWireOrThrow(IpamDelArgs, body, 'IpamDelArgs');
    await this.timedRelease(() => this.ipam.release(args));
  }

  @Post(path(AGENT_PATHS.ipamIps))
  @HttpCode(200)
  postIps(): void {
    // Upstream stub (cni-and-agent.md §2.5): always 200, does nothing.
  }

  @Delete(path(AGENT_PATHS.ipamIps))
  async delIps(@Body() body: unknown): Promise<void> {
    const args = parseWireOrThrow(IpamBatchDelArgs, body, 'IpamBatchDelArgs');
    await this.timedRelease(() => this.ipam.releaseAll(args));
  }

  @Get(path(AGENT_PATHS.workloadEndpoint))
  workloadEndpoint(@Query() query: unknown): WorkloadEndpointStatus {
    const q = parseWireOrThrow(WorkloadEndpointQuery, query, 'query');
    return parseWireOrThrow(
      WorkloadEndpointStatus,
      this.ipam.workloadEndpoint(q),
      'WorkloadEndpointStatus',
      'INTERNAL',
    );
  }

  @Get(path(AGENT_PATHS.coordinatorConfig))
  async coordinatorConfig(@Query() query: unknown): Promise<CoordinatorConfig> {
    const q = parseWireOrThrow(CoordinatorConfigQuery, query, 'query');
    return parseWireOrThrow(
      CoordinatorConfig,
      await this.coordinator.configFor(q),
      'CoordinatorConfig',
      'INTERNAL',
    );
  }

  private async timedRelease(run: () => Promise<void>): Promise<void> {
    const started = performance.now();
    try {
      await run();
      this.metrics.releaseDone((performance.now() - started) / 1000);
    } catch (err) {
      this.metrics.releaseDone((performance.now() - started) / 1000, err);
      throw err;
    }
  }
}

/** Framework errors (unknown route, malformed JSON) and typed errors → the agent-api error body. */
@Catch()
export class AgentErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<JsonResponse>();
    let error: AgentApiError;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === 404
          ? 'ROUTE_NOT_FOUND'
          : status === 405
            ? 'METHOD_NOT_ALLOWED'
            : status === 400
              ? 'MALFORMED_REQUEST'
              : 'INTERNAL';
      error = new AgentApiError(code, exception.message);
    } else if (isBodyParserError(exception)) {
      error = new AgentApiError('MALFORMED_REQUEST', 'request body is not valid JSON');
    } else error = toAgentApiError(exception);
    if (error.code === 'INTERNAL') this.logger.error({ [F.err]: exception }, 'internal error in agent API');
    res.status(error.status).json(error.toBody());
  }
}

/** The part of express' response the filter uses (no @types/express in the workspace). */
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

function isBodyParserError(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.parse.failed'
  );
}
