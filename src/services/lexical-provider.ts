/**
 * The built-in `lexical` inference provider: offline and deterministic. It decides by word overlap
 * between the event and the agent's purpose (see `src/domain/lexical-alignment.ts`), and labels every
 * answer as lexical so nobody mistakes it for a language model.
 */
import { chooseOption, evaluateAlignment, type DecideInput, type Purpose } from '../domain/index.js';
import { eventOptions, eventText, type InferenceAnswer, type InferenceProvider, type PreparedInference } from './inference-provider.js';

/** Below this score an event without options is deferred rather than handled. @default 0.1 */
export const LEXICAL_HANDLE_THRESHOLD = 0.1;
export const LEXICAL_MODEL = 'lexical-v1';

/** The purpose with the agent's active goals counted as further success criteria. */
function purposeWithGoals(input: DecideInput): Purpose {
  const purpose = input.agent.purpose;
  return { ...purpose, successCriteria: [...purpose.successCriteria, ...input.agent.goals.filter((g) => g.progress < 1).map((g) => g.description)] };
}

function countTokens(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

export class LexicalProvider implements InferenceProvider {
  readonly name = 'lexical';

  prepare(input: DecideInput): PreparedInference {
    const options = eventOptions(input);
    const prompt = JSON.stringify({ purpose: purposeWithGoals(input), text: eventText(input), options: options ?? null });
    return { provider: this.name, model: LEXICAL_MODEL, prompt, parameters: { threshold: LEXICAL_HANDLE_THRESHOLD } };
  }

  async run(prepared: PreparedInference, input: DecideInput): Promise<InferenceAnswer> {
    const purpose = purposeWithGoals(input);
    const options = eventOptions(input);
    const text = eventText(input);
    const tokensIn = countTokens(prepared.prompt);
    if (options) {
      const choice = chooseOption(options, purpose);
      const scores = options.map((o, i) => `"${o}" ${(choice.scores[i] ?? 0).toFixed(2)}`).join(', ');
      return {
        action: choice.choice,
        rationale: `lexical choice (word overlap with the purpose, not a language model): scores ${scores}; ${choice.alignment.reasons.join('; ')}`.slice(0, 1000),
        alignment: { score: choice.alignment.score, reasons: choice.alignment.reasons },
        provider: this.name,
        model: LEXICAL_MODEL,
        tokensIn,
        tokensOut: countTokens(choice.choice),
      };
    }
    const alignment = evaluateAlignment(text, purpose);
    const handle = alignment.score >= LEXICAL_HANDLE_THRESHOLD;
    const action = `${handle ? 'handle' : 'defer'}:${input.event.type}`;
    return {
      action,
      rationale: `lexical alignment ${alignment.score.toFixed(2)} ${handle ? '>=' : '<'} ${LEXICAL_HANDLE_THRESHOLD} (word overlap with the purpose, not a language model); ${alignment.reasons.join('; ')}`.slice(0, 1000),
      alignment: { score: alignment.score, reasons: alignment.reasons },
      provider: this.name,
      model: LEXICAL_MODEL,
      tokensIn,
      tokensOut: 1,
    };
  }
}
