/**
 * JSON bodies of the Durable HTTP API built from engine values: the orchestration status
 * (`StatusResponsePayload`) and the entity list item (`DurableEntityStatus`).
 * @see durable-protocol.md F, G; extension StatusResponsePayload.cs, DurableEntityStatus.cs
 */
import type { EntityRecord, InstanceStatusWithHistory } from '../engine/client-api.js';
import { type HistoryPayloadEvent, historyEventsPayload } from './http-history.js';
import { parseStoredJson } from './http-stored-json.js';

/** `StatusResponsePayload`; the JS `DurableOrchestrationStatus` requires `input` and `output` keys. */
export interface StatusPayload {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: HistoryPayloadEvent[];
}

export interface StatusPayloadOptions {
  showHistory: boolean;
  showHistoryOutput: boolean;
  showInput: boolean;
}

/**
 * Status times are `DateTime.ToString("s") + "Z"`: seconds, no fraction. A value that is not a
 * date is passed through rather than hidden.
 */
export function formatStatusTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function statusPayload(status: InstanceStatusWithHistory, o: StatusPayloadOptions): StatusPayload {
  const payload: StatusPayload = {
    name: status.name,
    instanceId: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    input: o.showInput ? parseStoredJson(status.input) : null,
    customStatus: parseStoredJson(status.customStatus),
    output: parseStoredJson(status.output),
    createdTime: formatStatusTime(status.createdTime),
    lastUpdatedTime: formatStatusTime(status.lastUpdatedTime),
  };
  // The extension reads no history for a Pending instance (nothing has run yet).
  if (o.showHistory && status.runtimeStatus !== 'Pending' && status.history) {
    payload.historyEvents = historyEventsPayload(status.history, o);
  }
  return payload;
}

/** One item of `GET entities/{name}`. */
export interface EntityStatusPayload {
  entityId: { name: string; key: string };
  lastOperationTime: string;
  state: unknown;
}

export function entityStatusPayload(e: EntityRecord, fetchState: boolean): EntityStatusPayload {
  return {
    entityId: { name: e.name, key: e.key },
    lastOperationTime: e.lastOperationTime,
    state: fetchState && e.state !== undefined ? parseStoredJson(e.state) : null,
  };
}
