/**
 * Test kit (test code only): runs REAL `df.app.entity(...)` functions through the host's worker
 * stand-in and the pure entity scheduler, with the task hub replaced by maps. Each turn stores
 * the scheduler state as text and reads it back, as the engine does through the Instances row.
 */
import * as df from 'durable-functions';
import type { EntityHandler } from 'durable-functions';
import type { Logger } from '../../../log/logger.js';
import { createCoreApi, type CoreApiState } from '../../../worker/core-api.js';
import { installCoreModule } from '../../../worker/core-module.js';
import { FunctionRegistry } from '../../../worker/function-registry.js';
import { Invoker } from '../../../worker/invoker.js';
import { readTypedData } from '../../../worker/typed-data.js';
import { EntityBatchOutputSchema, entityBatchTriggerData, type EntityBatchInput } from '../../wire/entity-batch.js';
import { EntityMessageName, ResponseMessageSchema, entityInstanceId, type EntityId, type ResponseMessage } from '../entity-messages.js';
import { parseSchedulerState } from '../entity-scheduler-state.js';
import { completeEntityTurn, type EntityBatchOutcome, type EntityTurnResult } from '../entity-turn-complete.js';
import { mayDequeue, nextDueAt, planEntityTurn, type PlanEntityTurnOptions } from '../entity-turn-plan.js';
import type { InstanceMessage } from '../work.js';

const silent: Logger = { log: () => undefined, child: () => silent };

/** The worker stand-in is process-wide: `@azure/functions` keeps the first core API it is given. */
let worker: { registry: FunctionRegistry; invoker: Invoker } | undefined;

function sharedWorker(): { registry: FunctionRegistry; invoker: Invoker } {
  if (!worker) {
    const registry = new FunctionRegistry();
    const state: CoreApiState = { programmingModel: undefined };
    installCoreModule(createCoreApi(registry, silent, state));
    worker = { registry, invoker: new Invoker(registry, () => state.programmingModel, silent) };
  }
  return worker;
}

/** Registers an entity function with the real durable-functions library (once per name per process). */
export function registerEntity<T>(name: string, handler: EntityHandler<T>): void {
  const { registry } = sharedWorker();
  if (registry.findByName(name)) throw new Error(`entity "${name}" is already registered in this test process`);
  df.app.entity(name, handler);
}

/** Invokes the entity function named by `input.self` the way the engine will, and reports the outcome. */
export async function invokeEntityBatch(input: EntityBatchInput): Promise<EntityBatchOutcome> {
  const { registry, invoker } = sharedWorker();
  const fn = registry.findByName(input.self.name);
  if (!fn) return { type: 'failed', error: { name: 'Error', message: `The function '${input.self.name}' doesn't exist.` } };
  try {
    const response = await invoker.invoke(fn, { inputData: [{ name: fn.triggerBindingName, data: entityBatchTriggerData(input) }] });
    const output = EntityBatchOutputSchema.safeParse(readTypedData(response.returnValue));
    if (!output.success) return { type: 'failed', error: { name: 'Error', message: `entity function returned no entity state: ${output.error.message}` } };
    return { type: 'completed', output: output.data };
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    return { type: 'failed', error: cause instanceof Error ? { name: cause.name, message: cause.message } : { message: String(cause) } };
  }
}

export interface EntityWorldOptions {
  /** The clock of the world; tests move it by assigning `world.now`. */
  now?: Date;
  maxBatchSize?: PlanEntityTurnOptions['maxBatchSize'];
}

/**
 * Entities and their inboxes in memory. Messages to entities are delivered to their inboxes;
 * messages to anything else (orchestrations) are kept in `delivered` for the test to read.
 */
export class EntityWorld {
  now: Date;
  /** The stored scheduler state (Instances `Input`) by entity instance id. */
  readonly stored = new Map<string, string>();
  readonly inboxes = new Map<string, InstanceMessage[]>();
  /** Messages sent to non-entity instances, by target. */
  readonly delivered = new Map<string, InstanceMessage[]>();
  /** Every completed turn, in order. */
  readonly turns: { instanceId: string; batchSize: number; result: EntityTurnResult }[] = [];
  readonly #turnNumbers = new Map<string, number>();
  #nextId = 0;

  constructor(private readonly options: EntityWorldOptions = {}) {
    this.now = options.now ?? new Date('2026-01-01T00:00:00.000Z');
  }

  /** A client signal (no parent). Pass `due` for a scheduled signal. */
  signal(entity: EntityId, operation: string, input?: unknown, due?: Date): void {
    const request = { op: operation, signal: true, ...inputField(input), id: this.#id('client'), ...(due ? { due: due.toISOString() } : {}) };
    this.send(entityInstanceId(entity), due ? `op@${due.toISOString()}` : EntityMessageName.Request, request);
  }

  /** A call from orchestration `parent`; returns the request id its response will be named by. */
  call(parent: string, entity: EntityId, operation: string, input?: unknown): string {
    const id = this.#id(parent);
    this.send(entityInstanceId(entity), EntityMessageName.Request, { op: operation, ...inputField(input), id, parent, parentExecution: `${parent}-exec` });
    return id;
  }

  /** A lock request from orchestration `parent` for `entities` (sorted by scheduler id, as the JS does). */
  lock(parent: string, entities: EntityId[]): string {
    const id = this.#id(parent);
    const lockset = [...entities].sort((a, b) => (entityInstanceId(a) < entityInstanceId(b) ? -1 : 1));
    this.send(entityInstanceId(lockset[0] as EntityId), EntityMessageName.Request, { id, parent, parentExecution: `${parent}-exec`, lockset, pos: 0 });
    return id;
  }

  /** The releases an orchestration sends for a lock it holds (one per entity). */
  release(parent: string, lockId: string, entities: EntityId[]): void {
    for (const entity of entities) this.send(entityInstanceId(entity), EntityMessageName.Release, { parent, id: lockId });
  }

  /** Puts a raw message (e.g. a re-delivery) in an entity's inbox. */
  deliver(message: InstanceMessage): void {
    const inbox = this.inboxes.get(message.targetInstanceId) ?? [];
    inbox.push(message);
    this.inboxes.set(message.targetInstanceId, inbox);
  }

  send(target: string, name: string, body: unknown, messageId = this.#id('m')): InstanceMessage {
    const message: InstanceMessage = {
      messageId,
      targetInstanceId: target,
      event: { type: 'EventRaised', eventId: -1, isPlayed: false, timestamp: this.now.toISOString(), name, input: JSON.stringify(body) },
    };
    this.deliver(message);
    return message;
  }

  /** Runs entity turns until no entity has messages, runnable requests or due signals. */
  async runUntilIdle(maxTurns = 10_000): Promise<void> {
    for (let n = 0; n < maxTurns; n++) {
      const next = this.#runnable();
      if (!next) return;
      await this.runTurn(next);
    }
    throw new Error(`entities still busy after ${maxTurns} turns`);
  }

  /** One turn of one entity with everything in its inbox, as the engine runs it. */
  async runTurn(instanceId: string): Promise<EntityTurnResult> {
    const messages = this.inboxes.get(instanceId) ?? [];
    this.inboxes.delete(instanceId);
    const state = parseSchedulerState(this.stored.get(instanceId));
    const { batch, plan } = planEntityTurn(state, messages, { instanceId, now: this.now, maxBatchSize: this.options.maxBatchSize });
    const outcome = batch ? await invokeEntityBatch(batch) : undefined;
    const turn = (this.#turnNumbers.get(instanceId) ?? 0) + 1;
    this.#turnNumbers.set(instanceId, turn);
    const result = completeEntityTurn(plan, outcome, { now: this.now, turn });
    if (result.deleted) this.stored.delete(instanceId);
    else this.stored.set(instanceId, result.instance.input);
    this.turns.push({ instanceId, batchSize: batch?.batch.length ?? 0, result });
    for (const work of result.work) {
      if (work.kind !== 'message') continue;
      if (work.message.targetInstanceId.startsWith('@')) this.deliver(work.message);
      else this.delivered.set(work.message.targetInstanceId, [...(this.delivered.get(work.message.targetInstanceId) ?? []), work.message]);
    }
    return result;
  }

  /** What `readEntityState` would see: the parsed state, or `exists: false`. */
  readEntityState<T = unknown>(entity: EntityId): { exists: boolean; state?: T } {
    const s = parseSchedulerState(this.stored.get(entityInstanceId(entity)));
    if (!s.exists) return { exists: false };
    return { exists: true, ...(s.state !== undefined ? { state: JSON.parse(s.state) as T } : {}) };
  }

  /** The response an orchestration received for request `id`, parsed. */
  responseTo(parent: string, id: string): ResponseMessage | undefined {
    const message = this.delivered.get(parent)?.find((m) => m.event.type === 'EventRaised' && m.event.name === id);
    if (!message || message.event.type !== 'EventRaised') return undefined;
    return ResponseMessageSchema.parse(JSON.parse(message.event.input ?? '{}'));
  }

  #runnable(): string | undefined {
    for (const [id, inbox] of this.inboxes) if (inbox.length > 0) return id;
    for (const [id, text] of this.stored) {
      const s = parseSchedulerState(text);
      const due = nextDueAt(s);
      if (mayDequeue(s) || (due !== undefined && Date.parse(due) <= this.now.getTime())) return id;
    }
    return undefined;
  }

  #id(prefix: string): string {
    return `${prefix}-${++this.#nextId}`;
  }
}

function inputField(input: unknown): { input?: string } {
  return input === undefined ? {} : { input: JSON.stringify(input) };
}
