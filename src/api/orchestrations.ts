/**
 * Multi-agent workflows: `POST /api/orchestrations` starts one (202 with its id and status URLs),
 * `GET /api/orchestrations/{id}` reads its status (`pending|running|completed|failed|cancelled`,
 * mapped from the durable runtime status, progress from the custom status), `GET .../result`
 * answers 409 until it has ended, `POST .../cancel` terminates it.
 */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient, DurableOrchestrationStatus } from 'durable-functions';
import { z } from 'zod';
import {
  AgentTerminatedError,
  DeliberationSettingsSchema,
  StartWorkflowBodySchema,
  UnknownAgentsError,
  ValidationError,
  WORKFLOW_ORCHESTRATIONS,
  WorkflowConflictError,
  WorkflowFinishedError,
  WorkflowIdSchema,
  WorkflowNotFinishedError,
  WorkflowNotFoundError,
  canonicalJson,
  isFinalStatus,
  workflowKindOf,
  workflowStatusOf,
  type StartWorkflowBody,
  type WorkflowInput,
  type WorkflowKind,
} from '../domain/index.js';
import { readAgentState } from './agent-gateway.js';
import { clientHttp } from './error-response.js';
import { jsonBody } from './http-input.js';

function links(id: string): { statusUri: string; resultUri: string; cancelUri: string } {
  const base = `/api/orchestrations/${id}`;
  return { statusUri: base, resultUri: `${base}/result`, cancelUri: `${base}/cancel` };
}

/** The deliberation settings a client put into `context` (`options`, `maxRounds`, `agreementThreshold`). */
function deliberationSettings(body: StartWorkflowBody): WorkflowInput['deliberation'] {
  const c = body.context;
  const picked = Object.fromEntries(['options', 'maxRounds', 'agreementThreshold'].filter((k) => c[k] !== undefined).map((k) => [k, c[k]]));
  const parsed = DeliberationSettingsSchema.safeParse(picked);
  if (!parsed.success) throw ValidationError.fromZod('deliberation settings in context', parsed.error);
  return parsed.data;
}

/** Every named agent must be registered (400 naming all unknown ones) and alive (409). */
async function checkAgents(client: DurableClient, agentIds: readonly string[]): Promise<void> {
  const states = await Promise.all(agentIds.map((id) => readAgentState(client, id)));
  const unknown = agentIds.filter((_, i) => states[i] === undefined);
  if (unknown.length > 0) throw new UnknownAgentsError(unknown);
  const terminated = agentIds.find((_, i) => states[i]?.context.lifecycle.state === 'terminated');
  if (terminated) throw new AgentTerminatedError(terminated);
}

async function findWorkflow(client: DurableClient, id: string): Promise<(DurableOrchestrationStatus & { kind: WorkflowKind }) | undefined> {
  let status: DurableOrchestrationStatus;
  try {
    status = await client.getStatus(id, { showInput: true });
  } catch (err) {
    // durable-functions reports an unknown instance as an Error naming the HTTP 404 it got.
    if (err instanceof Error && /\b404\b/.test(err.message)) return undefined;
    throw err;
  }
  const kind = workflowKindOf(status.name);
  // Only workflow instances are readable here: agent loops and publications are not workflows.
  return kind ? Object.assign(status, { kind }) : undefined;
}

function workflowIdParam(request: HttpRequest): string {
  const parsed = WorkflowIdSchema.safeParse(request.params.id);
  if (!parsed.success) throw new WorkflowNotFoundError(String(request.params.id));
  return parsed.data;
}

async function requireWorkflow(client: DurableClient, request: HttpRequest): Promise<DurableOrchestrationStatus & { kind: WorkflowKind }> {
  const id = workflowIdParam(request);
  const found = await findWorkflow(client, id);
  if (!found) throw new WorkflowNotFoundError(id);
  return found;
}

export async function startWorkflow(request: HttpRequest, client: DurableClient, newId: () => string = randomUUID): Promise<HttpResponseInit> {
  const body = await jsonBody(request, StartWorkflowBodySchema, 'workflow request');
  const workflowId = body.id ?? `wf-${newId()}`;
  const input: WorkflowInput = {
    workflowId,
    kind: body.workflow,
    agentIds: body.agentIds,
    purpose: body.purpose,
    context: body.context,
    ...(body.workflow === 'deliberation' ? { deliberation: deliberationSettings(body) } : {}),
  };
  await checkAgents(client, body.agentIds);
  const existing = await findWorkflow(client, workflowId);
  if (existing) {
    // The same request again (a retry with its id) is answered with the workflow it started.
    if (canonicalJson(existing.input ?? null) !== canonicalJson(input)) throw new WorkflowConflictError(workflowId);
    return { status: 200, headers: { location: links(workflowId).statusUri }, jsonBody: { id: workflowId, workflow: existing.kind, status: workflowStatusOf(String(existing.runtimeStatus)), ...links(workflowId) } };
  }
  await client.startNew(WORKFLOW_ORCHESTRATIONS[body.workflow], { instanceId: workflowId, input });
  return { status: 202, headers: { location: links(workflowId).statusUri }, jsonBody: { id: workflowId, workflow: body.workflow, status: 'pending', ...links(workflowId) } };
}

const InputView = z.object({ agentIds: z.array(z.string()), purpose: z.string() }).partial();

export async function readWorkflow(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const s = await requireWorkflow(client, request);
  const input = InputView.safeParse(s.input);
  return {
    status: 200,
    jsonBody: {
      id: s.instanceId,
      workflow: s.kind,
      status: workflowStatusOf(String(s.runtimeStatus)),
      runtimeStatus: s.runtimeStatus,
      progress: s.customStatus ?? null,
      ...(input.success ? input.data : {}),
      createdTime: s.createdTime,
      lastUpdatedTime: s.lastUpdatedTime,
      ...links(s.instanceId),
    },
  };
}

export async function workflowResult(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const s = await requireWorkflow(client, request);
  const status = workflowStatusOf(String(s.runtimeStatus));
  if (!isFinalStatus(status)) throw new WorkflowNotFinishedError(s.instanceId, status);
  const outcome = status === 'completed' ? { result: s.output } : status === 'failed' ? { error: s.output ?? null } : { reason: s.output ?? null };
  return { status: 200, jsonBody: { id: s.instanceId, workflow: s.kind, status, ...outcome } };
}

const CancelBodySchema = z.object({ reason: z.string().max(200).optional() });

export async function cancelWorkflow(request: HttpRequest, client: DurableClient): Promise<HttpResponseInit> {
  const s = await requireWorkflow(client, request);
  const status = workflowStatusOf(String(s.runtimeStatus));
  if (isFinalStatus(status)) throw new WorkflowFinishedError(s.instanceId, status);
  const { reason } = await jsonBody(request, CancelBodySchema, 'cancel request');
  await client.terminate(s.instanceId, reason ?? 'cancelled through the API');
  return { status: 202, headers: { location: links(s.instanceId).statusUri }, jsonBody: { id: s.instanceId, accepted: true, ...links(s.instanceId) } };
}

clientHttp('orchestrations-start', ['POST'], 'orchestrations', (request: HttpRequest, client: DurableClient) => startWorkflow(request, client));

clientHttp('orchestrations-read', ['GET'], 'orchestrations/{id}', (request: HttpRequest, client: DurableClient) => readWorkflow(request, client));

clientHttp('orchestrations-result', ['GET'], 'orchestrations/{id}/result', (request: HttpRequest, client: DurableClient) => workflowResult(request, client));

clientHttp('orchestrations-cancel', ['POST'], 'orchestrations/{id}/cancel', (request: HttpRequest, client: DurableClient) => cancelWorkflow(request, client));
