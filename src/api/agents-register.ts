/** `POST /api/agents`: register an agent (201; the same definition again 200; a different one 409) and start its loop. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import type { Config } from '../config.js';
import { getConfig } from '../config.js';
import { AgentConflictError, AgentDefinitionSchema, AgentOps, canonicalJson, createAgentState, indexableTopics, type AgentDefinition, type AgentState } from '../domain/index.js';
import { getAppServices, getMessagingServices, type AgentDirectory, type TopicIndex } from '../services/index.js';
import { ensureLoop, readAgentState, readView, signalAgent } from './agent-gateway.js';
import { ContextAuditAction } from '../services/index.js';
import { auditApiChange, type ContextAuditDeps } from './context-audit.js';
import { clientHttp } from './error-response.js';
import { jsonBody } from './http-input.js';

export interface RegisterDeps {
  config: Config;
  directory: AgentDirectory;
  now: () => Date;
  /** Waits between reads while confirming the registration. */
  sleep: (ms: number) => Promise<void>;
  /** The topic subscriber index; the definition's topics are indexed before the entity registers them. */
  topicIndex?: TopicIndex;
  /** Where the registration is recorded; the governance ledger when left out. */
  audit?: ContextAuditDeps;
}

/** New agents get the configured heartbeat and mailbox capacity unless their definition sets them. */
function withDefaults(definition: AgentDefinition, config: Config): AgentDefinition {
  return { ...definition, settings: { heartbeatSeconds: config.agents.heartbeatSeconds, mailboxCapacity: config.agents.mailboxCapacity, ...definition.settings } };
}

/** Reads the entity until the registration shows, so that a client can read its own write at once. */
async function confirm(client: DurableClient, id: string, deps: RegisterDeps): Promise<AgentState | undefined> {
  const deadline = deps.now().getTime() + deps.config.agents.registerConfirmMs;
  let wait = 20;
  for (;;) {
    const state = await readAgentState(client, id);
    if (state) return state;
    if (deps.now().getTime() + wait > deadline) return undefined;
    await deps.sleep(wait);
    wait = Math.min(wait * 2, 250);
  }
}

export async function registerAgent(request: HttpRequest, client: DurableClient, deps: RegisterDeps): Promise<HttpResponseInit> {
  const definition = withDefaults(await jsonBody(request, AgentDefinitionSchema, 'agent definition'), deps.config);
  const existing = await readAgentState(client, definition.id);
  if (existing) {
    if (canonicalJson(existing.definition) !== canonicalJson(AgentDefinitionSchema.parse(definition))) throw new AgentConflictError(definition.id);
    // Same definition: idempotent. Make sure the loop runs (it may have been stopped by hand).
    if (existing.context.lifecycle.state !== 'terminated') await ensureLoop(client, definition.id, 'registered again');
    return { status: 200, jsonBody: readView(existing) };
  }
  // Index first: the index may name more subscribers than the contexts do (delivery checks), never fewer.
  await Promise.all(indexableTopics(definition.subscriptions.topics).map((topic) => deps.topicIndex?.add(topic, definition.id)));
  await signalAgent(client, definition.id, AgentOps.register, definition);
  await deps.directory.put({ id: definition.id, name: definition.name, kind: definition.kind, role: definition.role, registeredAt: deps.now().toISOString() });
  // Keyed: a retried registration of the same definition is one record (an agent id is registered once).
  const recorded = await auditApiChange(request, deps.audit, { agentId: definition.id, action: ContextAuditAction.registered, change: definition, details: { kind: definition.kind, role: definition.role }, key: 'context:registered' });
  const loop = await ensureLoop(client, definition.id, 'registered');
  const confirmed = await confirm(client, definition.id, deps);
  const view = confirmed ? readView(confirmed) : { context: createAgentState(AgentDefinitionSchema.parse(definition), deps.now().toISOString()).context, mailboxDepth: 0 };
  return { status: 201, headers: { location: `/api/agents/${definition.id}`, 'x-aos-confirmed': String(confirmed !== undefined) }, jsonBody: { ...view, loop, recorded } };
}

clientHttp('agents-register', ['POST'], 'agents', (request: HttpRequest, client: DurableClient) =>
  registerAgent(request, client, { config: getConfig(), directory: getAppServices().directory, topicIndex: getMessagingServices().topicIndex, now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }),
);
