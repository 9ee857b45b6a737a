/** The inference provider port: prepare a request (what the cache key covers), then run it. */
import type { DecideInput, DecideOutput } from '../domain/index.js';

/** A fully determined inference request: equal prepared requests may share a cached answer. */
export interface PreparedInference {
  provider: string;
  model: string;
  adapter?: string;
  /** The exact prompt text the provider sends (or, for `lexical`, the text it compares). */
  prompt: string;
  /** Everything else that changes the answer (temperature, options, max tokens). */
  parameters: Record<string, unknown>;
}

/** What a provider answers; `cached` and `cost` are added by the caller. */
export type InferenceAnswer = Omit<DecideOutput, 'cached' | 'cost'>;

export interface InferenceProvider {
  readonly name: string;
  prepare(input: DecideInput): PreparedInference;
  run(prepared: PreparedInference, input: DecideInput, options?: { signal?: AbortSignal }): Promise<InferenceAnswer>;
}

/** The options an event offers the agent to choose from: `data.options` when it is a list of strings. */
export function eventOptions(input: DecideInput): string[] | undefined {
  const data = input.event.data;
  if (data === null || typeof data !== 'object' || !('options' in data)) return undefined;
  const options = (data as { options: unknown }).options;
  return Array.isArray(options) && options.length > 0 && options.every((o) => typeof o === 'string') ? (options as string[]) : undefined;
}

/** The text of an event that inference reads: type, subject and data (a string, `data.text`, or its JSON). */
export function eventText(input: DecideInput): string {
  const { type, subject, data } = input.event;
  let body: string;
  if (typeof data === 'string') body = data;
  else if (data !== null && typeof data === 'object' && 'text' in data && typeof (data as { text: unknown }).text === 'string') body = (data as { text: string }).text;
  else body = data === null || data === undefined ? '' : JSON.stringify(data);
  return [type, subject ?? '', body].filter((s) => s.length > 0).join(' ');
}
