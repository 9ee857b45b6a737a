/**
 * The termination rule of a chaired deliberation, as pure functions: after each round the chair
 * picks a candidate; the deliberation stops when the alignment-weighted share of members backing
 * that candidate reaches the threshold, or when the round cap is reached (the chair's candidate
 * of the last round is then the decision).
 */

export interface MemberAnswer {
  agentId: string;
  choice: string;
  /** The member's purpose alignment with its own answer, 0..1: a confident, on-purpose answer weighs more. */
  alignment: number;
}

/** A floor on every weight, so that members whose alignment is 0 still count a little (no division by zero). */
export const MIN_ANSWER_WEIGHT = 0.05;

function weight(answer: MemberAnswer): number {
  return Math.max(MIN_ANSWER_WEIGHT, Math.min(1, answer.alignment));
}

/** Share of the total weight held by the members whose choice is `candidate` (0 when there are no members). */
export function weightedAgreement(answers: readonly MemberAnswer[], candidate: string): number {
  const total = answers.reduce((sum, a) => sum + weight(a), 0);
  if (total === 0) return 0;
  const backing = answers.filter((a) => a.choice === candidate).reduce((sum, a) => sum + weight(a), 0);
  return backing / total;
}

/** The choice with the largest weighted support; ties go to the option listed first (deterministic). */
export function leadingChoice(answers: readonly MemberAnswer[], options: readonly string[]): string | undefined {
  let best: { choice: string; share: number } | undefined;
  for (const option of options) {
    const share = weightedAgreement(answers, option);
    if (share > 0 && (!best || share > best.share)) best = { choice: option, share };
  }
  return best?.choice;
}

export const StopReason = { agreement: 'agreement', roundCap: 'round-cap' } as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export interface RoundVerdict {
  agreement: number;
  /** Undefined: hold another round. */
  stop: StopReason | undefined;
}

/**
 * Decides whether the deliberation stops after `round` (1-based). A deliberation without members
 * (the chair alone) agrees with itself.
 */
export function judgeRound(input: { round: number; maxRounds: number; threshold: number; candidate: string; answers: readonly MemberAnswer[] }): RoundVerdict {
  const agreement = input.answers.length === 0 ? 1 : weightedAgreement(input.answers, input.candidate);
  if (agreement >= input.threshold) return { agreement, stop: StopReason.agreement };
  if (input.round >= input.maxRounds) return { agreement, stop: StopReason.roundCap };
  return { agreement, stop: undefined };
}
