import {
  findCondition,
  isConditionTrue,
  removeCondition,
  setCondition,
  toRfc3339,
  type Condition,
} from './conditions.js';

const T0 = Date.parse('2026-03-01T10:00:00.123Z');
const T1 = T0 + 60_000;

describe('setCondition', () => {
  it('appends a new condition with lastTransitionTime = now (second precision)', () => {
    const r = setCondition(undefined, { type: 'Ready', status: 'True', reason: 'Synced' }, T0);
    expect(r).toEqual({
      conditions: [
        { type: 'Ready', status: 'True', reason: 'Synced', lastTransitionTime: '2026-03-01T10:00:00Z' },
      ],
      changed: true,
      transitioned: true,
    });
  });

  it('keeps lastTransitionTime when status is unchanged but updates reason/message', () => {
    const start = setCondition(
      [],
      { type: 'Ready', status: 'False', reason: 'A', message: 'x' },
      T0,
    ).conditions;
    const r = setCondition(start, { type: 'Ready', status: 'False', reason: 'B', message: 'y' }, T1);
    expect(r.changed).toBe(true);
    expect(r.transitioned).toBe(false);
    expect(r.conditions[0]).toMatchObject({ reason: 'B', message: 'y', lastTransitionTime: toRfc3339(T0) });
  });

  it('moves lastTransitionTime on a status flip', () => {
    const start = setCondition([], { type: 'Ready', status: 'False', reason: 'A' }, T0).conditions;
    const r = setCondition(start, { type: 'Ready', status: 'True', reason: 'A' }, T1);
    expect(r.transitioned).toBe(true);
    expect(r.conditions[0]?.lastTransitionTime).toBe(toRfc3339(T1));
  });

  it('reports no change for an identical condition and does not mutate its input', () => {
    const start: Condition[] = [
      { type: 'Degraded', status: 'False', reason: 'OK', lastTransitionTime: 'x' },
      { type: 'Ready', status: 'True', reason: 'OK', observedGeneration: 2, lastTransitionTime: 'y' },
    ];
    const frozen = structuredClone(start);
    const r = setCondition(start, { type: 'Ready', status: 'True', reason: 'OK', observedGeneration: 2 }, T1);
    expect(r.changed).toBe(false);
    expect(r.conditions).toEqual(frozen);
    expect(start).toEqual(frozen);
    const bumped = setCondition(
      start,
      { type: 'Ready', status: 'True', reason: 'OK', observedGeneration: 3 },
      T1,
    );
    expect(bumped.changed).toBe(true);
    expect(bumped.conditions.map((c) => c.type)).toEqual(['Degraded', 'Ready']);
  });

  it('helpers find, test and remove by type', () => {
    const list = setCondition([], { type: 'Ready', status: 'True', reason: 'OK' }, T0).conditions;
    expect(findCondition(list, 'Ready')?.reason).toBe('OK');
    expect(isConditionTrue(list, 'Ready')).toBe(true);
    expect(isConditionTrue(list, 'Progressing')).toBe(false);
    expect(removeCondition(list, 'Ready')).toEqual([]);
  });
});
