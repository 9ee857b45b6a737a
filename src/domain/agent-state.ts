/** Building a new agent's state from its definition. */
import {
  AgentSettingsSchema,
  type AgentContext,
  type AgentDefinition,
  type AgentState,
  type Goal,
  type GoalInput,
} from './agent-context.js';
import { emptyMailbox } from './agent-mailbox.js';

/** The blob container of agent transcripts (one blob per record under `<agentId>/`). */
export const TRANSCRIPT_CONTAINER = 'aos-transcripts';

export function goalFromInput(input: GoalInput, at: string): Goal {
  const progress = input.progress ?? 0;
  return {
    id: input.id,
    description: input.description,
    successCriteria: input.successCriteria,
    ...(input.deadline === undefined ? {} : { deadline: input.deadline }),
    progress,
    status: 'active',
    createdAt: at,
    updatedAt: at,
  };
}

/** The state of a freshly registered agent: lifecycle `created`, empty mailbox and memory. */
export function createAgentState(definition: AgentDefinition, at: string): AgentState {
  const context: AgentContext = {
    schemaVersion: 1,
    id: definition.id,
    name: definition.name,
    role: definition.role,
    kind: definition.kind,
    ...(definition.adapterName === undefined ? {} : { adapterName: definition.adapterName }),
    ...(definition.model === undefined ? {} : { model: definition.model }),
    purpose: { current: definition.purpose, original: definition.purpose },
    goals: definition.goals.map((g) => goalFromInput(g, at)),
    lifecycle: { state: 'created', since: at, history: [] },
    memory: { recent: [], summary: '', total: 0, transcript: { container: TRANSCRIPT_CONTAINER, prefix: `${definition.id}/` } },
    subscriptions: definition.subscriptions,
    mcpServers: definition.mcpServers,
    policies: definition.policies,
    settings: AgentSettingsSchema.parse(definition.settings),
    counters: { wakes: 0, eventsAccepted: 0, eventsDuplicate: 0, eventsProcessed: 0, decisions: 0, goalsAchieved: 0, tokensIn: 0, tokensOut: 0, cost: 0 },
    recentDecisions: [],
    timestamps: { createdAt: at, updatedAt: at },
  };
  return { schemaVersion: 1, definition, context, mailbox: emptyMailbox() };
}
