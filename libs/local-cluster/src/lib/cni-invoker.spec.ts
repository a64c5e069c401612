import { CniInvoker } from './cni-invoker.js';
import { CniBadOutputError, CniFailedError } from './errors.js';
import { FakeProcessRunner } from './process-runner.fake.js';

const conf = { cniVersion: '1.0.0', name: 'multus-cni-network', type: 'multus' };
const call = {
  containerId: 'c0ffee',
  netnsPath: '/var/run/netns/lc-a1b2c3-pod-x',
  ifName: 'eth0',
  pod: { namespace: 'default', name: 'web-0', uid: 'uid-1' },
};

describe('CniInvoker', () => {
  it('execs the entry plugin as containerd does: CNI_* env and the config on stdin', async () => {
    const runner = new FakeProcessRunner(() => ({
      exitCode: 0,
      stdout: JSON.stringify({
        cniVersion: '1.0.0',
        ips: [{ address: '10.6.168.60/16', gateway: '10.6.0.1' }],
      }),
      stderr: '',
    }));
    const invoker = new CniInvoker(runner, {
      binDir: '/opt/cni/bin',
      conf,
      extraEnv: { SPIDERPOOL_AGENT_SOCKET: '/s.sock' },
    });
    const result = await invoker.add(call);
    expect(result.ips).toEqual([{ address: '10.6.168.60/16', gateway: '10.6.0.1' }]);
    const run = runner.runs[0];
    expect(run?.file).toBe('/opt/cni/bin/multus');
    expect(JSON.parse(run?.options.input ?? '')).toEqual(conf);
    expect(run?.options.env).toEqual({
      SPIDERPOOL_AGENT_SOCKET: '/s.sock',
      CNI_COMMAND: 'ADD',
      CNI_CONTAINERID: 'c0ffee',
      CNI_NETNS: '/var/run/netns/lc-a1b2c3-pod-x',
      CNI_IFNAME: 'eth0',
      CNI_PATH: '/opt/cni/bin',
      CNI_ARGS:
        'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=c0ffee;K8S_POD_UID=uid-1',
    });
  });

  it('turns a CNI error object into a CniFailedError with its code', async () => {
    const runner = new FakeProcessRunner(() => ({
      exitCode: 1,
      stdout: JSON.stringify({
        cniVersion: '1.0.0',
        code: 7,
        msg: 'failed to find plugin',
        details: 'macvlan',
      }),
      stderr: '',
    }));
    const err = await new CniInvoker(runner, { binDir: '/b', conf }).add(call).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CniFailedError);
    expect(err).toMatchObject({
      code: 'CNI_FAILED',
      cniCode: 7,
      command: 'ADD',
      detail: 'failed to find plugin: macvlan',
    });
  });

  it('reports stderr when the plugin crashed without an error object', async () => {
    const runner = new FakeProcessRunner(() => ({ exitCode: 2, stdout: '', stderr: 'panic: boom\n' }));
    await expect(new CniInvoker(runner, { binDir: '/b', conf }).del(call)).rejects.toMatchObject({
      cniCode: 0,
      detail: 'panic: boom',
    });
  });

  it('rejects a successful exit without a result', async () => {
    const runner = new FakeProcessRunner(() => ({ exitCode: 0, stdout: 'hello', stderr: '' }));
    await expect(new CniInvoker(runner, { binDir: '/b', conf }).add(call)).rejects.toBeInstanceOf(
      CniBadOutputError,
    );
  });
});
