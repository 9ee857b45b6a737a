/**
 * The storage queue service: the `queueTrigger` listeners of the app's enabled functions and the
 * `queue` output binding (`output.storageQueue`). Both share one watcher, so a message one
 * function writes wakes the function that listens on that queue at once.
 */
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { HostStartError } from '../config/host-config-error.js';
import type { HostContext, HostService, HostServiceFactory } from '../host-services.js';
import type { StorageConnection } from '../storage/storage-connection.js';
import type { RegisteredFunction } from '../worker/function-registry.js';
import type { RpcBindingInfo, RpcTypedData } from '../worker/rpc-types.js';
import { readTypedData } from '../worker/typed-data.js';
import { isFunctionDisabled, resolveBinding, storageConnectionFor } from './binding-settings.js';
import { QueueListener } from './queue-listener.js';
import { encodeMessageBody } from './queue-message-text.js';
import { queueOptionsFrom, type QueueOptions } from './queue-options.js';
import { queueTriggerInput } from './queue-trigger-data.js';
import { QueueWatcher } from './queue-watcher.js';

export const QUEUE_TRIGGER = 'queueTrigger';
export const QUEUE_OUTPUT = 'queue';

/** Registers the queue trigger and output types; returns undefined when no enabled function has a queue trigger. */
export const storageQueueService: HostServiceFactory = (ctx: HostContext): HostService | undefined => {
  const log = ctx.log.child({ category: 'queue' });
  const options = queueOptionsFrom(ctx.hostJson);
  const watcher = new QueueWatcher();
  const clients = new QueueClients();

  const output = new QueueOutput(ctx, options, clients, watcher);
  ctx.extensions.addOutput(QUEUE_OUTPUT, (c) => output.write(c.fn, c.bindingName, c.binding, c.data));
  ctx.extensions.addTrigger(QUEUE_TRIGGER);
  // Check output bindings now, so a bad queue name or connection is a start-up error, not a failed run.
  for (const fn of ctx.registry.all()) {
    for (const [name, b] of Object.entries(fn.metadata.bindings)) {
      if (b.direction !== 'out' || String(b.type).toLowerCase() !== QUEUE_OUTPUT) continue;
      if (typeof b.queueName === 'string' && b.queueName.includes('{')) {
        log.log('warn', 'binding expressions in queueName are not supported by this host; writes to it will fail', { functionName: fn.name, binding: name, queueName: b.queueName });
        continue;
      }
      output.target(fn, name, b);
    }
  }

  const functions = ctx.registry.byTriggerType(QUEUE_TRIGGER).filter((fn) => !isFunctionDisabled(fn.name, ctx.env));
  if (functions.length === 0) return undefined;

  const listeners = functions.map((fn) => {
    const binding = resolveBinding(fn.name, fn.triggerBindingName, fn.trigger, ctx.env);
    const storage = storageConnectionFor(fn.name, binding.connection, ctx.env, ctx.storage);
    const queueName = validQueueName(fn.name, binding.queueName);
    const listener = new QueueListener({
      functionName: fn.name,
      queue: clients.queue(storage, queueName),
      poisonQueue: clients.queue(storage, `${queueName}-poison`),
      options,
      invoke: (message, body) => ctx.runner.run(fn, queueTriggerInput(fn.name, message, body, binding.dataType)),
      onMessageSent: (name) => watcher.notify(storage.endpoints.queue, name),
      log,
    });
    watcher.subscribe(storage.endpoints.queue, queueName, () => listener.wake());
    return listener;
  });

  return {
    name: 'queue',
    async start() {
      await Promise.all(listeners.map((l) => l.start()));
      log.log('info', 'queue listeners started', { queues: listeners.map((l) => l.queueName) });
    },
    async stop() {
      await Promise.all(listeners.map((l) => l.stop()));
    },
  };
};

/** One client per account and queue, so "create if missing" happens once per queue. */
class QueueClients {
  readonly #services = new Map<string, QueueServiceClient>();
  readonly #queues = new Map<string, QueueClient>();
  readonly #created = new Map<string, Promise<unknown>>();

  queue(storage: StorageConnection, name: string): QueueClient {
    const key = `${storage.endpoints.queue}\n${name}`;
    let q = this.#queues.get(key);
    if (!q) {
      let service = this.#services.get(storage.connectionString);
      if (!service) {
        service = QueueServiceClient.fromConnectionString(storage.connectionString);
        this.#services.set(storage.connectionString, service);
      }
      q = service.getQueueClient(name);
      this.#queues.set(key, q);
    }
    return q;
  }

  async ensureCreated(storage: StorageConnection, name: string): Promise<QueueClient> {
    const q = this.queue(storage, name);
    const key = `${storage.endpoints.queue}\n${name}`;
    let created = this.#created.get(key);
    if (!created) {
      created = q.createIfNotExists();
      this.#created.set(key, created);
      created.catch(() => this.#created.delete(key));
    }
    await created;
    return q;
  }
}

interface OutputTarget {
  storage: StorageConnection;
  queueName: string;
}

/** The `queue` output binding: each value (each element of an array) becomes one message. */
class QueueOutput {
  readonly #targets = new Map<string, OutputTarget>();

  constructor(
    private readonly ctx: HostContext,
    private readonly options: QueueOptions,
    private readonly clients: QueueClients,
    private readonly watcher: QueueWatcher,
  ) {}

  target(fn: RegisteredFunction, bindingName: string, binding: RpcBindingInfo): OutputTarget {
    const key = `${fn.functionId}\n${bindingName}`;
    let t = this.#targets.get(key);
    if (!t) {
      const resolved = resolveBinding(fn.name, bindingName, binding, this.ctx.env);
      t = { storage: storageConnectionFor(fn.name, resolved.connection, this.ctx.env, this.ctx.storage), queueName: validQueueName(fn.name, resolved.queueName) };
      this.#targets.set(key, t);
    }
    return t;
  }

  async write(fn: RegisteredFunction, bindingName: string, binding: RpcBindingInfo, data: RpcTypedData): Promise<void> {
    const { storage, queueName } = this.target(fn, bindingName, binding);
    const value = readTypedData(data);
    const items = Array.isArray(value) ? value : [value];
    const bodies = items.filter((v) => v !== undefined && v !== null).map(messageBody);
    if (bodies.length === 0) return;
    const queue = await this.clients.ensureCreated(storage, queueName);
    // In order, as the host's collector adds them one by one.
    for (const body of bodies) await queue.sendMessage(encodeMessageBody(body, this.options.messageEncoding));
    this.watcher.notify(storage.endpoints.queue, queueName);
  }
}

function messageBody(value: unknown): string | Uint8Array {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** Queue names are lowercased by the host, then must follow the service's naming rules. */
function validQueueName(functionName: string, value: unknown): string {
  const name = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!/^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(name)) {
    throw new HostStartError(
      `function '${functionName}': '${String(value ?? '')}' is not a valid queue name (3-63 lowercase letters, digits and single dashes)`,
      'QUEUE_NAME_INVALID',
    );
  }
  return name;
}
