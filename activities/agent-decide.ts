/** Activity `agent-decide`: inference for one event (purpose-aligned decision), cached and costed. */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { AgentActivities, ValidationError, type DecideOutput } from '../src/domain/index.js';
import { getAppServices, type CachedInference } from '../src/services/index.js';

export async function decideActivity(input: unknown, deps: { inference: CachedInference }): Promise<DecideOutput> {
  const parsed = AgentActivities.decide.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('agent-decide input', parsed.error);
  return AgentActivities.decide.output.parse(await deps.inference.decide(parsed.data));
}

df.app.activity(AgentActivities.decide.name, {
  handler: async (input: unknown, context: InvocationContext) => {
    const out = await decideActivity(input, getAppServices());
    context.log('agent decision', { provider: out.provider, model: out.model, cached: out.cached, tokensIn: out.tokensIn, tokensOut: out.tokensOut });
    return out;
  },
});
