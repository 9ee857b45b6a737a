/**
 * The trigger value and metadata the host sends for a queue message: the body as a string (the
 * library JSON-parses it when it can), and Id, DequeueCount, InsertionTime, ExpirationTime,
 * NextVisibleTime, PopReceipt and QueueTrigger, typed as the host's RPC conversion types them
 * (strings as `string`, counts as `int`, DateTimeOffsets as JSON).
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#message-metadata
 */
import { randomUUID } from 'node:crypto';
import type { DequeuedMessageItem } from '@azure/storage-queue';
import type { RpcTypedData } from '../worker/rpc-types.js';
import { bytesData, jsonData, stringData } from '../worker/typed-data.js';
import { formatNetDate } from './net-date.js';

export interface QueueTriggerInput {
  triggerData: RpcTypedData;
  triggerMetadata: Record<string, RpcTypedData>;
}

export function queueTriggerInput(functionName: string, message: DequeuedMessageItem, body: string, dataType: unknown, now: Date = new Date()): QueueTriggerInput {
  const date = (d: Date) => jsonData(formatNetDate(d, { utc: true }));
  return {
    triggerData: dataType === 'binary' ? bytesData(Buffer.from(body, 'utf8')) : stringData(body),
    triggerMetadata: {
      Id: stringData(message.messageId),
      DequeueCount: { int: message.dequeueCount },
      InsertionTime: date(message.insertedOn),
      ExpirationTime: date(message.expiresOn),
      NextVisibleTime: date(message.nextVisibleOn),
      PopReceipt: stringData(message.popReceipt),
      QueueTrigger: stringData(body),
      // The host adds `sys` to every invocation's binding data.
      sys: jsonData({ MethodName: functionName, UtcNow: formatNetDate(now, { utc: true }), RandGuid: randomUUID() }),
    },
  };
}
