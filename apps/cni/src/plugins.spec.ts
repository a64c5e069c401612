import { selectPlugin } from './plugins.js';

describe('multi-call plugin selection', () => {
  const names = ['spiderpool', 'coordinator'];
  it.each([
    ['/opt/cni/bin/coordinator', undefined, 'coordinator'],
    ['spiderpool', undefined, 'spiderpool'],
    ['/usr/bin/node', '/work/dist/apps/cni/coordinator.cjs', 'coordinator'],
    ['node', '/work/dist/apps/cni/cni.cjs', 'spiderpool'],
    ['/opt/cni/bin/ifacer', undefined, 'spiderpool'],
  ])('argv0=%s script=%s → %s', (argv0, script, expected) => {
    expect(selectPlugin(names, argv0, script)).toBe(expected);
  });
});
