/**
 * The bootstrap of the app's services (rule 15): the one place that builds real clients from the
 * configuration. Built lazily on first use, so loading the app never touches the network.
 */
import { getConfig, type Config } from '../config.js';
import { TableAgentDirectory, type AgentDirectory } from './agent-directory.js';
import { CachedInference, type InferenceLog } from './cached-inference.js';
import { TableInferenceCache } from './inference-cache.js';
import type { InferenceProvider } from './inference-provider.js';
import { LexicalProvider } from './lexical-provider.js';
import { OpenAiProvider, type TokenSource } from './openai-provider.js';
import { AppTables, containerClient, tableClient } from './storage-clients.js';
import { BlobTranscriptStore, type TranscriptStore } from './transcript-store.js';
import { TRANSCRIPT_CONTAINER } from '../domain/index.js';

export interface AppServices {
  config: Config;
  inference: CachedInference;
  transcripts: TranscriptStore;
  directory: AgentDirectory;
}

export interface AppServiceOverrides {
  /** Supplies Entra ID tokens when `AOS_OPENAI_AUTH=entra` (e.g. `DefaultAzureCredential`). */
  tokenSource?: TokenSource;
  log?: InferenceLog;
}

export function buildAppServices(config: Config, overrides: AppServiceOverrides = {}): AppServices {
  const openai = config.inference.openai;
  const provider: InferenceProvider =
    config.inference.provider === 'openai' && openai ? new OpenAiProvider(openai, overrides.tokenSource ? { tokenSource: overrides.tokenSource } : {}) : new LexicalProvider();
  const cache = new TableInferenceCache(tableClient(config.storage, AppTables.inferenceCache));
  return {
    config,
    inference: new CachedInference(provider, cache, { ttlSeconds: config.inference.cacheTtlSeconds, pricePer1k: config.inference.pricePer1k, ...(overrides.log ? { log: overrides.log } : {}) }),
    transcripts: new BlobTranscriptStore(containerClient(config.storage, TRANSCRIPT_CONTAINER)),
    directory: new TableAgentDirectory(tableClient(config.storage, AppTables.agents)),
  };
}

let services: AppServices | undefined;
let tokenSource: TokenSource | undefined;

/** Registers the Entra ID token source before first use (the app entry may do this). */
export function useTokenSource(source: TokenSource): void {
  tokenSource = source;
  services = undefined;
}

/** The process's services, built from `getConfig()` on first use. */
export function getAppServices(): AppServices {
  services ??= buildAppServices(getConfig(), tokenSource ? { tokenSource } : {});
  return services;
}
