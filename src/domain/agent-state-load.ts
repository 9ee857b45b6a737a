/** Reading persisted agent state through the schema, upgrading older `schemaVersion`s on the way. */
import { AgentStateSchema, type AgentState } from './agent-context.js';
import { AosError, ErrorKind } from './aos-error.js';

/** Persisted state that no known schema version reads. The entity refuses to act on it rather than overwrite it. */
export class AgentStateInvalidError extends AosError {
  readonly code = 'AGENT_STATE_INVALID';
  readonly kind = ErrorKind.internal;
  override name = 'AgentStateInvalidError';
}

/**
 * Parses what the entity stored. Version 1 is the only version so far; a future version adds an
 * upgrade step here (`if (raw.schemaVersion === 1) raw = upgrade1to2(raw)`) so old state stays readable.
 */
export function loadAgentState(raw: unknown): AgentState {
  const parsed = AgentStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AgentStateInvalidError('the stored agent state does not match any known schema version', { details: { issues } });
  }
  return parsed.data;
}
