/**
 * OpenAI-compatible chat-completions provider (Azure OpenAI / AI Foundry `.../openai/v1`, LoRAX,
 * vLLM, llama.cpp, Ollama). The agent's adapter name, when set, is sent as `model`: multi-adapter
 * servers (LoRAX) select the LoRA adapter by it and Azure selects the deployment by it.
 */
import { z } from 'zod';
import type { OpenAiConfig } from '../config.js';
import { clip, type DecideInput } from '../domain/index.js';
import { InferenceError, InferenceTimeoutError } from './errors.js';
import { eventOptions, type InferenceAnswer, type InferenceProvider, type PreparedInference } from './inference-provider.js';

/** Where Entra ID tokens come from (e.g. `DefaultAzureCredential` wrapped by the bootstrap). */
export interface TokenSource {
  getToken(scope: string): Promise<string>;
}

/** The Entra ID scope of Azure OpenAI / Azure AI Foundry. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

export interface OpenAiProviderDeps {
  fetch?: typeof fetch;
  tokenSource?: TokenSource;
  /** Waits between retries; injected so tests need not sleep. */
  sleep?: (ms: number) => Promise<void>;
}

/** The part of the chat-completions response AOS reads (wire names kept). */
export const ChatCompletionResponseSchema = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() }).optional(),
});

/** The JSON reply the system prompt asks the model for. */
export const ModelDecisionSchema = z.object({
  action: z.string().min(1),
  rationale: z.string().default(''),
  alignment: z.object({ score: z.coerce.number().min(0).max(1), reasons: z.array(z.string()).default([]) }).optional(),
});

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504]);

function systemPrompt(input: DecideInput): string {
  const a = input.agent;
  const goals = a.goals.map((g) => `- ${g.description} (progress ${Math.round(g.progress * 100)}%)`).join('\n') || '- none';
  return [
    `You are ${a.name}${a.role ? `, ${a.role}` : ''}, a perpetual agent.`,
    `Purpose: ${a.purpose.statement}`,
    `Scope: ${a.purpose.scope || 'unrestricted'}`,
    `Success criteria: ${a.purpose.successCriteria.join('; ') || 'none stated'}`,
    `Goals:\n${goals}`,
    a.memorySummary ? `What happened before (summary):\n${a.memorySummary}` : '',
    'Decide what to do about the event you are given. Answer with JSON only: {"action": string, "rationale": string, "alignment": {"score": number 0..1, "reasons": string[]}} where alignment rates how well the action serves the purpose.',
  ]
    .filter((s) => s.length > 0)
    .join('\n');
}

function userPrompt(input: DecideInput): string {
  const options = eventOptions(input);
  const event = { type: input.event.type, source: input.event.source, subject: input.event.subject, time: input.event.time, data: input.event.data };
  return `Event:\n${JSON.stringify(event)}${options ? `\nChoose "action" from exactly one of: ${JSON.stringify(options)}` : ''}`;
}

function parseDecision(content: string): { action: string; rationale: string; alignment: { score: number; reasons: string[] } } {
  const unfenced = content.replace(/^\s*```(?:json)?\s*/i, '').replace(/\s*```\s*$/, '');
  try {
    const parsed = ModelDecisionSchema.safeParse(JSON.parse(unfenced));
    if (parsed.success) {
      const d = parsed.data;
      return { action: clip(d.action, 500), rationale: clip(d.rationale, 1000), alignment: d.alignment ? { score: d.alignment.score, reasons: d.alignment.reasons.slice(0, 20).map((r) => clip(r, 200)) } : { score: 0, reasons: ['the model gave no alignment'] } };
    }
  } catch {
    // Not JSON: fall through and keep the text as the action.
  }
  return { action: clip(content, 500) || '(empty reply)', rationale: 'the model reply was not the requested JSON', alignment: { score: 0, reasons: ['the model gave no alignment'] } };
}

export class OpenAiProvider implements InferenceProvider {
  readonly name = 'openai';
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly config: OpenAiConfig,
    private readonly deps: OpenAiProviderDeps = {},
  ) {
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  prepare(input: DecideInput): PreparedInference {
    const adapter = input.agent.adapterName;
    const model = adapter ?? input.agent.model ?? this.config.model;
    const messages = [
      { role: 'system', content: systemPrompt(input) },
      { role: 'user', content: userPrompt(input) },
    ];
    return { provider: this.name, model, ...(adapter ? { adapter } : {}), prompt: JSON.stringify(messages), parameters: { temperature: this.config.temperature, max_tokens: this.config.maxTokens } };
  }

  async run(prepared: PreparedInference, _input: DecideInput, options: { signal?: AbortSignal } = {}): Promise<InferenceAnswer> {
    const body = JSON.stringify({ model: prepared.model, messages: JSON.parse(prepared.prompt) as unknown, ...prepared.parameters });
    let attempt = 0;
    for (;;) {
      try {
        return await this.once(prepared, body, options.signal);
      } catch (err) {
        const retryable = (err instanceof InferenceError || err instanceof InferenceTimeoutError) && err.retryable;
        if (!retryable || attempt >= this.config.maxRetries || options.signal?.aborted) throw err;
        const hinted = err instanceof InferenceError ? err.retryAfterMs : undefined;
        await this.sleep(Math.min(hinted ?? 250 * 2 ** attempt, 10_000));
        attempt += 1;
      }
    }
  }

  private async headers(): Promise<Record<string, string>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.config.auth === 'entra') {
      if (!this.deps.tokenSource) throw new InferenceError('AOS_OPENAI_AUTH=entra needs a token source', this.name, undefined, { retryable: false });
      headers.authorization = `Bearer ${await this.deps.tokenSource.getToken(COGNITIVE_SERVICES_SCOPE)}`;
    } else if (this.config.apiKey) {
      // Azure OpenAI reads `api-key`; OpenAI and most compatible servers read the bearer token.
      headers['api-key'] = this.config.apiKey;
      headers.authorization = `Bearer ${this.config.apiKey}`;
    }
    return headers;
  }

  private async once(prepared: PreparedInference, body: string, signal: AbortSignal | undefined): Promise<InferenceAnswer> {
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const url = `${this.config.endpoint.replace(/\/+$/, '')}/chat/completions`;
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, { method: 'POST', headers: await this.headers(), body, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      text = await response.text();
    } catch (err) {
      if (timeout.aborted) throw new InferenceTimeoutError(this.name, this.config.timeoutMs);
      if (err instanceof InferenceError) throw err;
      throw new InferenceError(`${this.name} request failed: ${err instanceof Error ? err.message : String(err)}`, this.name, undefined, { retryable: !signal?.aborted, cause: err });
    }
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new InferenceError(`${this.name} answered ${response.status}: ${clip(text, 200)}`, this.name, response.status, {
        retryable: RETRYABLE_STATUS.has(response.status),
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new InferenceError(`${this.name} answered a body that is not JSON`, this.name, response.status, { retryable: false, cause: err });
    }
    const parsed = ChatCompletionResponseSchema.safeParse(json);
    if (!parsed.success) throw new InferenceError(`${this.name} answered an unexpected body`, this.name, response.status, { retryable: false, cause: parsed.error });
    const decision = parseDecision(parsed.data.choices[0]?.message.content ?? '');
    return {
      ...decision,
      provider: this.name,
      model: parsed.data.model ?? prepared.model,
      ...(prepared.adapter ? { adapter: prepared.adapter } : {}),
      tokensIn: parsed.data.usage?.prompt_tokens ?? 0,
      tokensOut: parsed.data.usage?.completion_tokens ?? 0,
    };
  }
}
