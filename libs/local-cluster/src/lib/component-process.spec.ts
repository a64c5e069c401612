import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@spiderpool/testing';
import { ComponentStartError } from './errors.js';
import { fillPlaceholders, startComponent, type ComponentSpec } from './component-process.js';

const dir = mkdtempSync(join(tmpdir(), 'lc-component-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vars = {
  kubeconfig: '/k/admin.kubeconfig',
  stateDir: '/state',
  node: 'worker-node-1',
  socket: '/state/nodes/worker-node-1/spiderpool.sock',
};

describe('components as processes', () => {
  it('fills the placeholders it knows and leaves the rest', () => {
    expect(fillPlaceholders('--kubeconfig={kubeconfig} --socket={socket} --node={node} {other}', vars)).toBe(
      '--kubeconfig=/k/admin.kubeconfig --socket=/state/nodes/worker-node-1/spiderpool.sock --node=worker-node-1 {other}',
    );
  });

  it('spawns with env, waits for the readiness URL and stops the process group', async () => {
    const port = await freePort();
    const spec: ComponentSpec = {
      name: 'agent',
      scope: 'per-node',
      command: process.execPath,
      args: [
        '-e',
        `console.log('node=' + process.env.SP_NODE + ' socket=' + process.env.SP_SOCKET);
         require('node:http').createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1');`,
      ],
      env: { SP_NODE: '{node}', SP_SOCKET: '{socket}' },
      readinessUrl: `http://127.0.0.1:${port}/readyz`,
    };
    const logPath = join(dir, 'agent.log');
    const c = await startComponent(spec, vars, logPath);
    expect(c.id).toBe('agent@worker-node-1');
    await c.stop(2_000);
    expect(() => process.kill(c.pid, 0)).toThrow();
    expect(readFileSync(logPath, 'utf8')).toContain(
      'node=worker-node-1 socket=/state/nodes/worker-node-1/spiderpool.sock',
    );
  });

  it('fails with the log path when the process exits before it is ready', async () => {
    const spec: ComponentSpec = {
      name: 'controller',
      scope: 'cluster',
      command: process.execPath,
      args: ['-e', 'process.exit(3)'],
      readinessUrl: 'http://127.0.0.1:1/readyz',
    };
    const err = await startComponent(spec, vars, join(dir, 'controller.log')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ComponentStartError);
    expect((err as Error).message).toMatch(
      /controller exited \(code 3\) before ready; see .*controller\.log/,
    );
  });
});

describe('component ports and hooks', () => {
  it('fills {port:<name>} from the allocated ports and leaves unknown names', () => {
    expect(
      fillPlaceholders('http://127.0.0.1:{port:health}/x {port:nope}', { ...vars, ports: { health: 4242 } }),
    ).toBe('http://127.0.0.1:4242/x {port:nope}');
  });

  it('runs prepare before the spawn and afterReady once ready; a failing afterReady stops the process', async () => {
    const port = await freePort();
    const order: string[] = [];
    const spec: ComponentSpec = {
      name: 'webhook',
      scope: 'cluster',
      command: process.execPath,
      args: ['-e', `require('node:http').createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1');`],
      readinessUrl: 'http://127.0.0.1:{port:main}/',
      prepare: async (v) => void order.push(`prepare:${v.ports?.['main']}`),
      afterReady: async () => {
        order.push('afterReady');
        throw new Error('registration refused');
      },
    };
    const err = await startComponent(
      spec,
      { ...vars, ports: { main: port } },
      join(dir, 'webhook.log'),
    ).catch((e: unknown) => e);
    expect(order).toEqual([`prepare:${port}`, 'afterReady']);
    expect(err).toBeInstanceOf(ComponentStartError);
    expect((err as Error).message).toContain('webhook: post-start step failed: registration refused');
    // the process was stopped: the port is free again
    const { createServer } = await import('node:net');
    await new Promise<void>((resolve, reject) => {
      const s = createServer()
        .once('error', reject)
        .listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });
});
