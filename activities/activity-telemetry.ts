/**
 * Tracing and metrics for every activity of the app, in one `app.hook.preInvocation` hook rather
 * than in each activity: the activity runs in a span that continues the trace stored in the event
 * envelope it works on (so an event's trace runs from the HTTP request through policy, inference,
 * audit and effects), inference activities add a GenAI `chat` span and token/cost metrics, and the
 * transcript write (the last step of an event) counts the event as processed with its latency.
 * It also shuts the SDK down (flushing it) when the app terminates.
 */
import { app, type PreInvocationContext } from '@azure/functions';
import { AgentActivities, DecideOutputSchema, MessagingActivities } from '../src/domain/index.js';
import { aosMetrics, ensureTelemetry, findEnvelope, genAiSystem, getLogger, shutdownTelemetry, withActivitySpan, withInferenceSpan, type InferenceUsage } from '../src/services/telemetry/index.js';

const INFERENCE_ACTIVITIES: ReadonlySet<string> = new Set([AgentActivities.decide.name, MessagingActivities.workflowContribute.name]);

/** The agent an activity works for: `agentId`, `agent.id`, or an `agent-<id>` audit chain. */
export function agentIdOf(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const v = input as { agentId?: unknown; agent?: { id?: unknown }; chain?: unknown };
  if (typeof v.agentId === 'string') return v.agentId;
  if (typeof v.agent?.id === 'string') return v.agent.id;
  if (typeof v.chain === 'string' && v.chain.startsWith('agent-')) return v.chain.slice('agent-'.length);
  return undefined;
}

function usageOf(result: unknown): InferenceUsage | undefined {
  const parsed = DecideOutputSchema.safeParse(result);
  return parsed.success ? { provider: parsed.data.provider, model: parsed.data.model, tokensIn: parsed.data.tokensIn, tokensOut: parsed.data.tokensOut, cached: parsed.data.cached } : undefined;
}

/** Runs one activity invocation observed: span, inference span and metrics, a structured log line on failure. */
export async function observeActivity<T>(name: string, input: unknown, instanceId: string | undefined, run: () => Promise<T>): Promise<T> {
  const envelope = findEnvelope(input);
  const agentId = agentIdOf(input);
  const ids = { ...(agentId ? { 'aos.agent.id': agentId } : {}), ...(instanceId ? { 'aos.instance.id': instanceId } : {}) };
  return withActivitySpan(
    name,
    envelope,
    async () => {
      try {
        if (!INFERENCE_ACTIVITIES.has(name)) {
          const result = await run();
          if (name === AgentActivities.appendTranscript.name && agentId && envelope) {
            const time = Date.parse((envelope as { time?: string }).time ?? '');
            aosMetrics.eventProcessed(agentId, envelope.type ?? 'unknown', Number.isNaN(time) ? undefined : Date.now() - time);
          }
          return result;
        }
        const result = await withInferenceSpan(run, usageOf, ids);
        const usage = usageOf(result);
        const cost = DecideOutputSchema.safeParse(result).data?.cost ?? 0;
        if (usage && agentId) aosMetrics.inference(agentId, { system: genAiSystem(usage.provider), model: usage.model, tokensIn: usage.tokensIn, tokensOut: usage.tokensOut, cost, cached: usage.cached });
        return result;
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        getLogger().log('error', 'activity failed', { activity: name, agentId, instanceId, correlationId: envelope?.correlationId, code: typeof code === 'string' ? code : 'INTERNAL' });
        throw err;
      }
    },
    ids,
  );
}

function observeActivities(context: PreInvocationContext): void {
  if (context.invocationContext.options.trigger.type !== 'activityTrigger') return;
  const name = context.invocationContext.functionName;
  const input = context.inputs[0];
  const instanceId = context.invocationContext.triggerMetadata?.instanceId;
  const handler = context.functionHandler as (...args: unknown[]) => unknown;
  context.functionHandler = (...args: unknown[]) => {
    ensureTelemetry();
    return observeActivity(name, input, typeof instanceId === 'string' ? instanceId : undefined, async () => handler(...args));
  };
}

app.hook.preInvocation(observeActivities);
// Export what is buffered before the worker goes away (batches would otherwise be lost on scale-in).
app.hook.appTerminate(() => shutdownTelemetry());
