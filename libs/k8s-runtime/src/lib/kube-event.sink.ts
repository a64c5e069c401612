import { EventsV1Api, V1MicroTime, type EventsV1Event, type KubeConfig } from '@kubernetes/client-node';
import { keepAliveKubeConfig } from './keep-alive-kube-config.js';
import type { EventRecord, EventSeries, EventSink } from './event-sink.port.js';

/** `EventSink` over client-node 2.x `events.k8s.io/v1`. */
export class KubeEventSink implements EventSink {
  private readonly api: EventsV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.api = keepAliveKubeConfig(kubeConfig).makeApiClient(EventsV1Api);
  }

  async create(event: EventRecord): Promise<void> {
    const body: EventsV1Event = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: event.name, namespace: event.namespace },
      regarding: {
        apiVersion: event.regarding.apiVersion,
        kind: event.regarding.kind,
        name: event.regarding.name,
        ...(event.regarding.namespace ? { namespace: event.regarding.namespace } : {}),
        ...(event.regarding.uid ? { uid: event.regarding.uid } : {}),
        ...(event.regarding.resourceVersion ? { resourceVersion: event.regarding.resourceVersion } : {}),
      },
      type: event.type,
      reason: event.reason,
      action: event.action,
      note: event.note,
      eventTime: new V1MicroTime(event.eventTime),
      reportingController: event.reportingController,
      reportingInstance: event.reportingInstance,
    };
    await this.api.createNamespacedEvent({ namespace: event.namespace, body });
  }

  async updateSeries(namespace: string, name: string, series: EventSeries): Promise<void> {
    await this.api.patchNamespacedEvent({
      name,
      namespace,
      body: [
        {
          op: 'add',
          path: '/series',
          value: { count: series.count, lastObservedTime: new V1MicroTime(series.lastObservedTime) },
        },
      ],
    });
  }
}
