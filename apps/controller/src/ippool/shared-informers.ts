import type { Informer, KubeObject, Runnable } from '@spiderpool/k8s-runtime';

/** Starts informers shared by several leader-only controllers once per term, and stops them after. */
export class SharedInformers implements Runnable {
  readonly name = 'shared-informers';

  constructor(private readonly informers: ReadonlyArray<Informer<KubeObject>>) {}

  hasSynced(): boolean {
    return this.informers.every((i) => i.hasSynced());
  }

  async start(): Promise<void> {
    for (const informer of this.informers) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}
