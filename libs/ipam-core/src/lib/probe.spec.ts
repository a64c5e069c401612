import { probe } from './probe.js';
describe('probe', () => {
  it('adds one', () => expect(probe(1n)).toBe(2n));
});
