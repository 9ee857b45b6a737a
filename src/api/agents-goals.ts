/** `POST /api/agents/{id}/goals` (add) and `PUT /api/agents/{id}/goals/{goalId?}` (update): checked against the agent, then signalled to its entity. */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { AgentOps, GoalConflictError, GoalInputSchema, GoalNotFoundError, UpdateGoalInputSchema, ValidationError, canonicalJson } from '../domain/index.js';
import { requireLiveAgent, signalAgent } from './agent-gateway.js';
import { ContextAuditAction } from '../services/index.js';
import { auditApiChange, type ContextAuditDeps } from './context-audit.js';
import { clientHttp } from './error-response.js';
import { agentIdParam, jsonBody } from './http-input.js';

const NewGoalBodySchema = GoalInputSchema.partial({ id: true });
const GoalPatchBodySchema = UpdateGoalInputSchema.partial({ id: true });

export async function addGoal(request: HttpRequest, client: DurableClient, newId: () => string = randomUUID, audit?: ContextAuditDeps): Promise<HttpResponseInit> {
  const id = agentIdParam(request);
  const body = await jsonBody(request, NewGoalBodySchema, 'goal');
  const goal = { ...body, id: body.id ?? newId() };
  const state = await requireLiveAgent(client, id);
  const found = state.context.goals.find((g) => g.id === goal.id);
  if (found && (found.description !== goal.description || canonicalJson(found.successCriteria) !== canonicalJson(goal.successCriteria))) throw new GoalConflictError(id, goal.id);
  await signalAgent(client, id, AgentOps.addGoal, goal);
  // Adding the same goal again changes nothing: the key keeps it to one record.
  const recorded = await auditApiChange(request, audit, { agentId: id, action: ContextAuditAction.goalAdded, change: goal, details: { goalId: goal.id }, key: `context:goal:${goal.id}:added` });
  return { status: 202, headers: { location: `/api/agents/${id}` }, jsonBody: { agentId: id, goalId: goal.id, accepted: true, recorded } };
}

export async function updateGoal(request: HttpRequest, client: DurableClient, audit?: ContextAuditDeps): Promise<HttpResponseInit> {
  const id = agentIdParam(request);
  const body = await jsonBody(request, GoalPatchBodySchema, 'goal update');
  const goalId = request.params.goalId ?? body.id;
  if (!goalId) throw new ValidationError('the goal id is missing (in the path or the body)');
  if (body.id !== undefined && body.id !== goalId) throw new ValidationError('the goal id in the body differs from the path');
  const state = await requireLiveAgent(client, id);
  if (!state.context.goals.some((g) => g.id === goalId)) throw new GoalNotFoundError(id, goalId);
  const change = { ...body, id: goalId };
  await signalAgent(client, id, AgentOps.updateGoal, change);
  // No key: the same patch may rightly be applied again later (A, B, then A again), and each is a change.
  const recorded = await auditApiChange(request, audit, { agentId: id, action: ContextAuditAction.goalUpdated, change, details: { goalId } });
  return { status: 202, headers: { location: `/api/agents/${id}` }, jsonBody: { agentId: id, goalId, accepted: true, recorded } };
}

clientHttp('agents-goals-add', ['POST'], 'agents/{id}/goals', (request: HttpRequest, client: DurableClient) => addGoal(request, client));

clientHttp('agents-goals-update', ['PUT'], 'agents/{id}/goals/{goalId?}', (request: HttpRequest, client: DurableClient) => updateGoal(request, client));
