/**
 * The `agent` Durable entity: the agent's context and mailbox. A thin shell around the pure reducer
 * `applyOperation` (src/domain): load and parse the state, apply one operation, save, return the
 * outcome. Entity functions are not replayed, so reading the clock here is allowed.
 */
import * as df from 'durable-functions';
import type { EntityContext } from 'durable-functions';
import { AGENT_ENTITY_NAME, AosError, applyOperation, loadAgentState, type AgentState, type OperationOutcome } from '../src/domain/index.js';

/**
 * Handles one operation. Failures are returned as `{ ok: false, error }` rather than thrown, because
 * durable-functions reports a thrown error to the caller as `JSON.stringify(error)`, which is `{}`.
 */
export function handleAgentOperation(context: EntityContext<AgentState>, now: () => Date = () => new Date()): void {
  let state: AgentState | undefined;
  try {
    const raw = context.df.getState();
    state = raw === undefined ? undefined : loadAgentState(raw);
  } catch (err) {
    const e = err instanceof AosError ? err : undefined;
    const outcome: OperationOutcome = {
      ok: false,
      error: { name: e?.name ?? 'Error', code: e?.code ?? 'INTERNAL', kind: e?.kind ?? 'internal', message: err instanceof Error ? err.message : String(err), ...(e?.details === undefined ? {} : { details: e.details }) },
    };
    context.error('agent entity state is unreadable', { agentId: context.df.entityKey });
    context.df.return(outcome);
    return;
  }
  const out = applyOperation(state, { name: context.df.operationName ?? '', input: context.df.getInput() }, { agentId: context.df.entityKey, now: now().toISOString() });
  if (out.state !== undefined && out.state !== state) context.df.setState(out.state);
  if (!out.result.ok) context.warn('agent entity operation refused', { agentId: context.df.entityKey, operation: context.df.operationName, code: out.result.error.code });
  context.df.return(out.result);
}

df.app.entity<AgentState>(AGENT_ENTITY_NAME, (context) => handleAgentOperation(context));
