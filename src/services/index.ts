/** I/O adapters of the app: inference providers and cache, transcripts, the agent directory, and their bootstrap. */
export { buildAppServices, getAppServices, useTokenSource, type AppServices, type AppServiceOverrides } from './app-services.js';
export { TableAgentDirectory, DirectoryEntrySchema, type AgentDirectory, type DirectoryEntry, type DirectoryPage } from './agent-directory.js';
export { CachedInference, costOf, type CachedInferenceOptions, type InferenceLog } from './cached-inference.js';
export { InferenceError, InferenceTimeoutError } from './errors.js';
export { TableInferenceCache, inferenceCacheKey, type InferenceCache } from './inference-cache.js';
export { eventOptions, eventText, type InferenceAnswer, type InferenceProvider, type PreparedInference } from './inference-provider.js';
export { LexicalProvider, LEXICAL_HANDLE_THRESHOLD, LEXICAL_MODEL } from './lexical-provider.js';
export { OpenAiProvider, COGNITIVE_SERVICES_SCOPE, type OpenAiProviderDeps, type TokenSource } from './openai-provider.js';
export { AppTables, containerClient, tableClient } from './storage-clients.js';
export { BlobTranscriptStore, TranscriptRecordSchema, transcriptBlobName, type TranscriptRecord, type TranscriptStore } from './transcript-store.js';
export { BusSubscriptionNameSchema, type MessageBus, type ReceiveOptions, type ReceivedBusMessage } from './message-bus.js';
export { StorageQueueBus, subscriptionQueueName, topicQueuePrefix, type StorageQueueBusOptions } from './storage-queue-bus.js';
export { ServiceBusMessageBus, connectServiceBus, serviceBusEntities, MIN_RECEIVE_WAIT_MS, type ServiceBusEntities, type ServiceBusSubscriptionAdmin } from './service-bus-bus.js';
