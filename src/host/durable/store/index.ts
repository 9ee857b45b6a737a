/** The task hub store: everything the durable engine keeps in Azure Storage. */
export { TaskHubStore, type LoadedInstance, type TaskHubStoreOptions } from './task-hub-store.js';
export type { CommitTurnRequest, LoadedHistory, SentinelState } from './history-store.js';
export type { CreateOutcome, InstanceRecordPage } from './instance-store.js';
export type { InstanceWork, WorkChanges } from './work-store.js';
export { ConcurrencyError, InvalidHubNameError, StoreErrorCode, TaskHubStoreError, type StoreErrorCodeName } from './errors.js';
export { escapePartitionKey, unescapePartitionKey, historyRowKey } from './key-sanitation.js';
export { taskHubNames, validateHubName, type TaskHubNames } from './taskhub-names.js';
export { MAX_INLINE_CHARS } from './large-values.js';
export type { InstanceFields, InstanceRecord } from '../wire/instance-row.js';
export type { ActivityWork, StoredActivity, StoredMessage, TimerRecord } from '../wire/work-row.js';
