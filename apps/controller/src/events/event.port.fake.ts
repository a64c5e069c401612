import type { EventInput, EventRegarding } from '@spiderpool/k8s-runtime';
import type { EventPort } from './event.port.js';

/** Records Events in memory for assertions. */
export class FakeEventPort implements EventPort {
  readonly events: Array<EventInput & { regarding: EventRegarding }> = [];

  async record(regarding: EventRegarding, input: EventInput): Promise<void> {
    this.events.push({ ...input, regarding });
  }

  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}
