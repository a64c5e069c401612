/** The object an Event is about (`regarding`). */
export interface EventRegarding {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

/** An `events.k8s.io/v1` Event as the recorder builds it; times in epoch milliseconds. */
export interface EventRecord {
  namespace: string;
  name: string;
  regarding: EventRegarding;
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
  eventTime: number;
  reportingController: string;
  reportingInstance: string;
}

export interface EventSeries {
  count: number;
  lastObservedTime: number;
}

/** Event I/O as a port (client-node implementation in `kube-event.sink.ts`, fake in tests). */
export interface EventSink {
  create(event: EventRecord): Promise<void>;
  /** Set `series` on an existing Event (an isomorphic event occurred again). */
  updateSeries(namespace: string, name: string, series: EventSeries): Promise<void>;
}
