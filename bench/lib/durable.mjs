/**
 * How the bench talks to the host: the Durable HTTP API for starts, signals and events (what a
 * client pays for), and direct reads of the `<Hub>Instances` table for completion and timing, so
 * that waiting never adds storage requests to the host's count.
 */
import { TableClient, odata } from '@azure/data-tables';

const WEBHOOK = '/runtime/webhooks/durabletask';

/**
 * @param {string} url @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
async function call(url, init) {
  const res = await fetch(url, init);
  if (res.status >= 400) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
  return res;
}

export class DurableApi {
  /** @param {() => string} baseUrl the host's base URL (a function: it changes across restarts) */
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** @param {string} name @param {string} instanceId @param {unknown} [input] */
  async start(name, instanceId, input) {
    const res = await call(`${this.baseUrl()}${WEBHOOK}/orchestrators/${name}/${encodeURIComponent(instanceId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? null),
    });
    await res.arrayBuffer();
  }

  /** @param {string} instanceId @param {string} event @param {unknown} data */
  async raise(instanceId, event, data) {
    const res = await call(`${this.baseUrl()}${WEBHOOK}/instances/${encodeURIComponent(instanceId)}/raiseEvent/${event}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(data ?? null),
    });
    await res.arrayBuffer();
  }

  /** @param {string} entity @param {string} key @param {string} op @param {unknown} input */
  async signal(entity, key, op, input) {
    const res = await call(`${this.baseUrl()}${WEBHOOK}/entities/${entity}/${encodeURIComponent(key)}?op=${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? null),
    });
    await res.arrayBuffer();
  }

  /** The entity's state, or undefined when it has none. @param {string} entity @param {string} key */
  async entityState(entity, key) {
    const res = await fetch(`${this.baseUrl()}${WEBHOOK}/entities/${entity}/${encodeURIComponent(key)}`);
    if (res.status === 404) {
      await res.arrayBuffer();
      return undefined;
    }
    if (res.status >= 400) throw new Error(`reading entity ${entity}/${key} answered ${res.status}`);
    return /** @type {unknown} */ (await res.json());
  }
}

/**
 * @typedef {object} InstanceRow
 * @property {string} instanceId @property {string} runtimeStatus @property {number} created ms
 * @property {number} updated ms @property {string | undefined} output JSON text
 * @property {string | undefined} customStatus JSON text @property {number} turns TurnNumber
 */

/** @param {Record<string, unknown>} e @returns {InstanceRow} */
function toRow(e) {
  const time = (/** @type {unknown} */ v) => (v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number.NaN);
  return {
    instanceId: String(e.partitionKey),
    runtimeStatus: String(e.RuntimeStatus ?? ''),
    created: time(e.CreatedTime),
    updated: time(e.LastUpdatedTime),
    output: typeof e.Output === 'string' ? e.Output : undefined,
    customStatus: typeof e.CustomStatus === 'string' ? e.CustomStatus : undefined,
    turns: Number(e.TurnNumber ?? 0),
  };
}

/** Direct reads of `<Hub>Instances` (ids in the bench need no key escaping: letters, digits, '-'). */
export class InstancesTable {
  /** @param {string} connectionString @param {string} hub */
  constructor(connectionString, hub) {
    this.table = TableClient.fromConnectionString(connectionString, `${hub}Instances`, { allowInsecureConnection: true });
  }

  /** @param {string} instanceId @returns {Promise<InstanceRow | undefined>} */
  async get(instanceId) {
    try {
      return toRow(await this.table.getEntity(instanceId, ''));
    } catch (err) {
      if (/** @type {{ statusCode?: number }} */ (err).statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Rows whose id starts with `prefix`, optionally only those in `status`. @param {string} prefix @param {string} [status] */
  async list(prefix, status) {
    const end = `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;
    const filter = status === undefined
      ? odata`PartitionKey ge ${prefix} and PartitionKey lt ${end}`
      : odata`PartitionKey ge ${prefix} and PartitionKey lt ${end} and RuntimeStatus eq ${status}`;
    /** @type {InstanceRow[]} */
    const rows = [];
    for await (const e of this.table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RuntimeStatus', 'CreatedTime', 'LastUpdatedTime', 'Output', 'CustomStatus', 'TurnNumber'] } })) {
      rows.push(toRow(/** @type {Record<string, unknown>} */ (e)));
    }
    return rows;
  }

  /** Count rows with the prefix in `status` (and `customStatus` JSON text when given). @param {string} prefix @param {string} status @param {string} [customStatus] */
  async count(prefix, status, customStatus) {
    const rows = await this.list(prefix, status);
    return customStatus === undefined ? rows.length : rows.filter((r) => r.customStatus === customStatus).length;
  }
}
