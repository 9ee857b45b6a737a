/** Activity `agent-append-transcript`: writes the event and its decision to the agent's transcript in Blob storage; returns the pointer. */
import * as df from 'durable-functions';
import { AgentActivities, ValidationError } from '../src/domain/index.js';
import { getAppServices, type TranscriptStore } from '../src/services/index.js';

export async function appendTranscriptActivity(input: unknown, deps: { transcripts: TranscriptStore }): Promise<{ ref: string }> {
  const parsed = AgentActivities.appendTranscript.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('agent-append-transcript input', parsed.error);
  const { agentId, at, event, decision } = parsed.data;
  return { ref: await deps.transcripts.append({ agentId, at, event, decision }) };
}

df.app.activity(AgentActivities.appendTranscript.name, { handler: (input: unknown) => appendTranscriptActivity(input, getAppServices()) });
