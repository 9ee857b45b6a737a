/**
 * `agent-operation`: calls one operation of an `agent` entity and completes with its outcome
 * (`{ok, value}` or `{ok: false, error}`). Callers outside orchestrations (the MCP server) start it
 * and wait for completion when they must confirm a write and report the entity's own answer; a
 * refused operation completes normally, so the caller gets the error code, not a failed instance.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { AGENT_ENTITY_NAME, AGENT_OPERATION_NAME, AgentOperationInputSchema, OperationOutcomeSchema, type OperationOutcome } from '../src/domain/index.js';

export function* agentOperation(context: OrchestrationContext): Generator<Task, OperationOutcome, unknown> {
  const input = AgentOperationInputSchema.parse(context.df.getInput());
  const raw = yield context.df.callEntity(new df.EntityId(AGENT_ENTITY_NAME, input.agentId), input.operation, input.input);
  return OperationOutcomeSchema.parse(raw);
}

df.app.orchestration(AGENT_OPERATION_NAME, agentOperation);
