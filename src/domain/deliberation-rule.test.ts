import { describe, expect, it } from 'vitest';
import { judgeRound, leadingChoice, weightedAgreement, type MemberAnswer } from './deliberation-rule.js';

const answers: MemberAnswer[] = [
  { agentId: 'a', choice: 'approve', alignment: 0.9 },
  { agentId: 'b', choice: 'approve', alignment: 0.3 },
  { agentId: 'c', choice: 'reject', alignment: 0.4 },
];

describe('deliberation termination rule', () => {
  it('weighs each member by its alignment', () => {
    expect(weightedAgreement(answers, 'approve')).toBeCloseTo(1.2 / 1.6);
    expect(weightedAgreement(answers, 'reject')).toBeCloseTo(0.4 / 1.6);
    expect(weightedAgreement(answers, 'defer')).toBe(0);
  });

  it('counts a member with zero alignment at the floor weight instead of ignoring it', () => {
    expect(weightedAgreement([{ agentId: 'a', choice: 'x', alignment: 0 }], 'x')).toBe(1);
  });

  it('stops on agreement when the weighted share reaches the threshold', () => {
    expect(judgeRound({ round: 1, maxRounds: 3, threshold: 0.6, candidate: 'approve', answers })).toMatchObject({ stop: 'agreement' });
  });

  it('holds another round below the threshold and stops at the round cap', () => {
    expect(judgeRound({ round: 1, maxRounds: 3, threshold: 0.6, candidate: 'reject', answers }).stop).toBeUndefined();
    expect(judgeRound({ round: 3, maxRounds: 3, threshold: 0.6, candidate: 'reject', answers })).toMatchObject({ stop: 'round-cap', agreement: 0.25 });
  });

  it('treats a chair without members as agreeing with itself', () => {
    expect(judgeRound({ round: 1, maxRounds: 3, threshold: 1, candidate: 'x', answers: [] })).toEqual({ agreement: 1, stop: 'agreement' });
  });

  it('finds the leading choice, ties going to the option listed first', () => {
    expect(leadingChoice(answers, ['reject', 'approve'])).toBe('approve');
    expect(leadingChoice([{ agentId: 'a', choice: 'y', alignment: 0.5 }, { agentId: 'b', choice: 'x', alignment: 0.5 }], ['x', 'y'])).toBe('x');
    expect(leadingChoice([], ['x'])).toBeUndefined();
  });
});
