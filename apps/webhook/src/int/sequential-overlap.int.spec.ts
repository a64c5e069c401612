// ADR 0008, "remaining race": two overlapping pools applied one after the other (no delay, e.g. `kubectl apply -f` of a
// file with both) — the second must always be rejected, although the pool index is fed by a watch. IPP-V7 (same
// subnet, overlapping ips) lists siblings live by label; IPP-V6 (overlapping CIDRs) waits for the index to reach a
// consistent collection resourceVersion, or lists live.
import { ApiException } from '@kubernetes/client-node';
import type { KubeObject } from '../admission/kind-webhook.js';
import { InformerIPPoolIndex } from '../cluster/informer-ippool-index.js';
import { KubeObjects } from './kube-objects.int-kit.js';
import { startWebhookUnderTest, type WebhookUnderTest } from './webhook-under-test.int-kit.js';

const REG_NAME = `spiderpool-webhook-seq-int-${process.pid}`;
const ROUNDS = 20;

const pool = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'spiderpool.spidernet.io/v2beta1',
  kind: 'SpiderIPPool',
  metadata: { name },
  spec: { ipVersion: 4, ...spec },
});

interface Rejection {
  rejected: true;
  code: number;
  message: string;
}
const isRejection = (r: KubeObject | Rejection): r is Rejection => (r as Rejection).rejected === true;

describe('sequential overlapping creates always see each other (IPP-V6, IPP-V7)', () => {
  let wh: WebhookUnderTest | undefined;
  let k: KubeObjects;
  let index: InformerIPPoolIndex;
  const created: KubeObject[] = [];

  /** The create's stored object, or the API server's rejection. */
  async function tryCreate(o: KubeObject): Promise<KubeObject | Rejection> {
    try {
      const stored = await k.create(o);
      created.push(o);
      return stored;
    } catch (err) {
      if (!(err instanceof ApiException)) throw err;
      const body = (typeof err.body === 'string' ? JSON.parse(err.body) : err.body) as { message?: string };
      return { rejected: true, code: err.code, message: body.message ?? '' };
    }
  }

  beforeAll(async () => {
    wh = await startWebhookUnderTest({ registrationName: REG_NAME, poolIndex: true });
    ({ k } = wh);
    if (!wh.index) throw new Error('started without the pool index');
    index = wh.index;
  }, 60_000);

  afterAll(async () => {
    await wh?.unregister();
    let left = created.splice(0);
    for (let i = 0; left.length > 0 && i < 50; i++) {
      const failed: KubeObject[] = [];
      await Promise.all(left.map((o) => k.purge(o).catch(() => failed.push(o))));
      left = failed;
      if (left.length > 0) await new Promise((res) => setTimeout(res, 200));
    }
    await wh?.close();
  }, 60_000);

  it(`IPP-V7: the second of two same-subnet pools with overlapping ips is rejected, ${ROUNDS} times in a row`, async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const subnet = `10.81.${i}.0/24`;
      const first = await tryCreate(pool(`seq-v7-a-${i}`, { subnet, ips: [`10.81.${i}.1-10.81.${i}.20`] }));
      expect(isRejection(first)).toBe(false);
      const second = await tryCreate(pool(`seq-v7-b-${i}`, { subnet, ips: [`10.81.${i}.10-10.81.${i}.30`] }));
      outcomes.push(
        isRejection(second) &&
          second.code === 422 &&
          second.message.includes(`overlaps with IPPool 'seq-v7-a-${i}'`)
          ? 'rejected'
          : JSON.stringify(second).slice(0, 200),
      );
    }
    expect(outcomes).toEqual(Array(ROUNDS).fill('rejected'));
  }, 60_000);

  it(`IPP-V6: the second of two pools with overlapping CIDRs is rejected, ${ROUNDS} times in a row`, async () => {
    const outcomes: string[] = [];
    const before = { ...index.barrierStats };
    for (let i = 0; i < ROUNDS; i++) {
      const first = await tryCreate(pool(`seq-v6-a-${i}`, { subnet: `10.82.${i}.0/24` }));
      expect(isRejection(first)).toBe(false);
      const second = await tryCreate(pool(`seq-v6-b-${i}`, { subnet: `10.82.${i}.128/25` }));
      outcomes.push(
        isRejection(second) &&
          second.code === 422 &&
          second.message.includes(`overlaps with IPPool 'seq-v6-a-${i}'`)
          ? 'rejected'
          : JSON.stringify(second).slice(0, 200),
      );
    }
    expect(outcomes).toEqual(Array(ROUNDS).fill('rejected'));
    const reached = index.barrierStats.reached - before.reached;
    const timedOut = index.barrierStats.timedOut - before.timedOut;
    // Every IPP-V6 create went through the barrier (first and second of each round).
    expect(reached + timedOut).toBe(2 * ROUNDS);
    process.stdout.write(
      `IPP-V6 read barrier over ${2 * ROUNDS} creates: reached ${reached}, timed out (live list) ${timedOut}\n`,
    );
  }, 60_000);
});
