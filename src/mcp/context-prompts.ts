/** Prompts of an agent's ContextMCPServer: its purpose as a system prompt, and a summary of its goals. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import type { AgentContext } from '../domain/index.js';
import type { AgentAccess } from './agent-access.js';

/** The system prompt of an agent: identity, current purpose, scope and success criteria. */
export function purposePromptText(c: AgentContext): string {
  const p = c.purpose.current;
  const lines = [
    `You are ${c.name}${c.role ? `, ${c.role}` : ''} (agent ${c.id}, ${c.kind}).`,
    `Purpose: ${p.statement}`,
    ...(p.scope ? [`Scope: ${p.scope}. Decline what falls outside it.`] : []),
    ...(p.successCriteria.length > 0 ? ['Success criteria:', ...p.successCriteria.map((s) => `- ${s}`)] : []),
  ];
  if (p.statement !== c.purpose.original.statement) lines.push(`(Temporarily aligned; the original purpose is: ${c.purpose.original.statement})`);
  return lines.join('\n');
}

/** The goals in plain text, active first, with progress as a percentage. */
export function goalsPromptText(c: AgentContext): string {
  if (c.goals.length === 0) return `Agent ${c.name} has no goals yet. Suggest up to three goals that serve its purpose: ${c.purpose.current.statement}`;
  const order = { active: 0, completed: 1, abandoned: 2 } as const;
  const goals = [...c.goals].sort((a, b) => order[a.status] - order[b.status]);
  const lines = goals.map((g) => `- [${g.status}] ${g.id}: ${g.description} (${Math.round(g.progress * 100)}%${g.deadline ? `, due ${g.deadline}` : ''})`);
  return [`Summarise the current goals of agent ${c.name} (purpose: ${c.purpose.current.statement}): what is on track, what is behind, and the next step for each active goal.`, '', ...lines].join('\n');
}

export function registerContextPrompts(server: McpServer, access: AgentAccess): void {
  server.registerPrompt(
    'purpose',
    { title: 'Purpose (system prompt)', description: 'The agent\'s purpose and scope, to use as the system prompt of a model acting as this agent (MCP prompts have no system role, so it comes as one user message).' },
    async (): Promise<GetPromptResult> => {
      const c = (await access.state()).context;
      return { description: `system prompt of ${c.id}`, messages: [{ role: 'user', content: { type: 'text', text: purposePromptText(c) } }] };
    },
  );
  server.registerPrompt('goals-summary', { title: 'Summarise goals', description: 'Asks a model to summarise the agent\'s current goals and their progress.' }, async (): Promise<GetPromptResult> => {
    const c = (await access.state()).context;
    return { description: `goals of ${c.id}`, messages: [{ role: 'user', content: { type: 'text', text: goalsPromptText(c) } }] };
  });
}
