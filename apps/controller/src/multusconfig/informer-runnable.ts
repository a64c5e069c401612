import type { Controller, Informer, KubeObject, Runnable } from '@spiderpool/k8s-runtime';

/**
 * A leader-only term of one controller and the informers it reads (house style §14): `start()` starts the
 * informers then the controller (which waits for their sync), `stop()` stops the controller then the informers.
 * Restartable, so the `LeaderGate` can run it once per leadership term. `afterStart` runs once the controller
 * runs (e.g. to enqueue a key whose object may not exist yet).
 */
export class InformerRunnable implements Runnable {
  constructor(
    private readonly controller: Controller,
    private readonly informers: ReadonlyArray<Informer<KubeObject>>,
    private readonly afterStart?: () => void,
  ) {}

  get name(): string {
    return this.controller.name;
  }

  hasSynced(): boolean {
    return this.controller.hasSynced();
  }

  async start(): Promise<void> {
    for (const informer of this.informers) informer.start();
    await this.controller.start();
    this.afterStart?.();
  }

  async stop(options: { drain: boolean }): Promise<void> {
    await this.controller.stop(options);
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}
