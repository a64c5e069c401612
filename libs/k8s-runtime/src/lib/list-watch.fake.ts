import type { KubeObject } from './object-key.js';
import type {
  ListResult,
  ListWatchSource,
  WatchEvent,
  WatchHandle,
  WatchHandlers,
} from './list-watch.port.js';

/** One open watch in the fake: tests push events into it and close it. */
export class FakeWatchStream<T extends KubeObject> {
  stopped = false;
  closed = false;

  constructor(
    readonly resourceVersion: string,
    private readonly handlers: WatchHandlers<T>,
  ) {}

  emit(event: WatchEvent<T>): void {
    if (!this.closed) this.handlers.onEvent(event);
  }

  close(err?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onClose(err);
  }
}

/**
 * A scripted list/watch source. `listResults` / `watchFailures` are consumed in order; when empty, list returns
 * `nextList` and watch succeeds.
 */
export class FakeListWatchSource<T extends KubeObject> implements ListWatchSource<T> {
  nextList: ListResult<T> = { items: [], resourceVersion: '1' };
  readonly listFailures: unknown[] = [];
  readonly watchFailures: unknown[] = [];
  readonly watches: FakeWatchStream<T>[] = [];
  listCalls = 0;

  async list(_signal: AbortSignal): Promise<ListResult<T>> {
    this.listCalls++;
    const failure = this.listFailures.shift();
    if (failure !== undefined) throw failure;
    return { items: [...this.nextList.items], resourceVersion: this.nextList.resourceVersion };
  }

  async watch(resourceVersion: string, handlers: WatchHandlers<T>): Promise<WatchHandle> {
    const failure = this.watchFailures.shift();
    if (failure !== undefined) throw failure;
    const stream = new FakeWatchStream(resourceVersion, handlers);
    this.watches.push(stream);
    return {
      stop: () => {
        stream.stopped = true;
        stream.close();
      },
    };
  }

  /** The most recent watch stream. */
  current(): FakeWatchStream<T> {
    const stream = this.watches.at(-1);
    if (!stream) throw new Error('no watch opened yet');
    return stream;
  }
}
