/**
 * What the ContextMCPServer may do to its agent, all through the `agent` entity with the durable
 * client: read its stored state, make confirmed writes (a short `agent-operation` orchestration
 * returns the entity's own outcome), and accept events on the API's lossless path.
 */
import type { DurableClient } from 'durable-functions';
import type { z } from 'zod';
import { acceptEvent, loopStatus, readAgentState, type EventAccepted, type EventDeps } from '../api/index.js';
import {
  AGENT_OPERATION_NAME,
  AgentNotFoundError,
  AosError,
  ErrorKind,
  OperationOutcomeSchema,
  RemoteOperationError,
  agentOperationInstanceId,
  type AgentId,
  type AgentState,
  type EventEnvelopeInput,
  type OperationDescriptor,
} from '../domain/index.js';

/** The loop as the MCP `status` resource shows it. */
export interface LoopView {
  runtimeStatus: string;
  /** `sleeping`, `processing` or `waiting-for-registration`, from the loop's custom status. */
  state?: string;
  /** When a sleeping loop looks at its mailbox anyway (its heartbeat timer). */
  nextWakeAt?: string;
}

export interface AgentAccess {
  readonly agentId: AgentId;
  /** The stored state; read once per request and again after a write. Throws `AgentNotFoundError`. */
  state(): Promise<AgentState>;
  loop(): Promise<LoopView>;
  /** Applies one entity operation and returns its value once the entity has applied it. */
  call<I extends z.ZodType, O extends z.ZodType>(op: OperationDescriptor<I, O>, input: z.input<I>): Promise<z.output<O>>;
  sendEvent(input: EventEnvelopeInput): Promise<EventAccepted>;
}

/** A write was queued for the entity but not confirmed in time (it still applies later). */
export class WriteUnconfirmedError extends AosError {
  readonly code = 'WRITE_UNCONFIRMED';
  readonly kind = ErrorKind.unavailable;
  override readonly retryable = true;
  override name = 'WriteUnconfirmedError';
  constructor(agentId: string, operation: string, instanceId: string, timeoutMs: number) {
    super(`the ${operation} of agent ${agentId} was queued but not confirmed within ${timeoutMs} ms (instance ${instanceId})`, { details: { agentId, operation, instanceId } });
  }
}

export interface DurableAgentAccessDeps extends EventDeps {
  /** How long a confirmed write may take. @default 10000 */
  confirmTimeoutMs?: number;
  sleep: (ms: number) => Promise<void>;
}

const ENDED = new Set(['Failed', 'Terminated', 'Canceled']);

export class DurableAgentAccess implements AgentAccess {
  #state: Promise<AgentState> | undefined;

  constructor(
    readonly agentId: AgentId,
    private readonly client: DurableClient,
    private readonly deps: DurableAgentAccessDeps,
  ) {}

  state(): Promise<AgentState> {
    this.#state ??= readAgentState(this.client, this.agentId).then((s) => {
      if (!s) throw new AgentNotFoundError(this.agentId);
      return s;
    });
    // A failed read is not kept: the next caller tries again.
    this.#state.catch(() => (this.#state = undefined));
    return this.#state;
  }

  async loop(): Promise<LoopView> {
    const status = await loopStatus(this.client, this.agentId);
    if (!status) return { runtimeStatus: 'NotStarted' };
    const custom = status.customStatus !== null && typeof status.customStatus === 'object' ? (status.customStatus as { state?: unknown; wakeAt?: unknown }) : {};
    return {
      runtimeStatus: String(status.runtimeStatus),
      ...(typeof custom.state === 'string' ? { state: custom.state } : {}),
      ...(typeof custom.wakeAt === 'string' && custom.state === 'sleeping' ? { nextWakeAt: custom.wakeAt } : {}),
    };
  }

  async call<I extends z.ZodType, O extends z.ZodType>(op: OperationDescriptor<I, O>, input: z.input<I>): Promise<z.output<O>> {
    const checked = op.input.parse(input);
    const instanceId = agentOperationInstanceId(this.agentId, this.deps.newId());
    await this.client.startNew(AGENT_OPERATION_NAME, { instanceId, input: { agentId: this.agentId, operation: op.name, input: checked } });
    this.#state = undefined;
    const timeoutMs = this.deps.confirmTimeoutMs ?? 10_000;
    const deadline = this.deps.now().getTime() + timeoutMs;
    let wait = 10;
    for (;;) {
      const status = await this.client.getStatus(instanceId, { showHistory: false, showInput: false }).catch(() => undefined);
      const runtime = String(status?.runtimeStatus ?? '');
      if (runtime === 'Completed') {
        // The instance served its purpose; purging keeps one-shot writes from piling up in the hub.
        await this.client.purgeInstanceHistory(instanceId).catch(() => undefined);
        const outcome = OperationOutcomeSchema.parse(status?.output);
        if (!outcome.ok) throw new RemoteOperationError(outcome.error.code, outcome.error.kind, outcome.error.message, outcome.error.details);
        return op.output.parse(outcome.value);
      }
      if (ENDED.has(runtime)) throw new RemoteOperationError('WRITE_FAILED', ErrorKind.internal, `the ${op.name} of agent ${this.agentId} ended ${runtime}: ${JSON.stringify(status?.output ?? null)}`);
      if (this.deps.now().getTime() + wait > deadline) throw new WriteUnconfirmedError(this.agentId, op.name, instanceId, timeoutMs);
      await this.deps.sleep(wait);
      wait = Math.min(wait * 2, 200);
    }
  }

  sendEvent(input: EventEnvelopeInput): Promise<EventAccepted> {
    this.#state = undefined;
    return acceptEvent(this.client, this.agentId, input, this.deps);
  }
}
