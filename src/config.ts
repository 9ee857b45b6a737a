/**
 * The app's configuration: `process.env` parsed once through zod (the only place the app reads the
 * environment; locally the host fills it from `local.settings.json` `Values`, in Azure the Function
 * App's settings do).
 */
import { z } from 'zod';
import { AosError, ErrorKind } from './domain/index.js';

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
const money = z.coerce.number().min(0).default(0);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const ConfigSchema = z
  .object({
    /** Storage for app data (inference cache, transcripts, agent directory). @default the Functions storage account */
    AzureWebJobsStorage: z.string().default('UseDevelopmentStorage=true'),
    AOS_STORAGE_CONNECTION: optionalText,
    /** @default lexical (offline, deterministic) */
    AOS_INFERENCE_PROVIDER: z.enum(['lexical', 'openai']).default('lexical'),
    /** Base URL of an OpenAI-compatible API, e.g. `https://x.openai.azure.com/openai/v1` or `http://127.0.0.1:8080/v1`. */
    AOS_OPENAI_ENDPOINT: optionalText.pipe(z.url().optional()),
    AOS_OPENAI_API_KEY: optionalText,
    /** `key` sends `api-key` and `Authorization: Bearer <key>`; `entra` asks the token source. @default key */
    AOS_OPENAI_AUTH: z.enum(['key', 'entra']).default('key'),
    /** Model used when the agent names neither an adapter nor a model. */
    AOS_OPENAI_MODEL: z.string().default('gpt-4o-mini'),
    AOS_OPENAI_TIMEOUT_MS: int(100, 600_000, 30_000),
    AOS_OPENAI_MAX_RETRIES: int(0, 10, 2),
    AOS_OPENAI_TEMPERATURE: z.coerce.number().min(0).max(2).default(0),
    AOS_OPENAI_MAX_TOKENS: int(1, 32_768, 512),
    /** Prices per 1,000 tokens, for the per-agent cost counter. @default 0 */
    AOS_PRICE_INPUT_PER_1K: money,
    AOS_PRICE_OUTPUT_PER_1K: money,
    /** Lifetime of cached inference responses; 0 disables the cache. @default 86400 */
    AOS_INFERENCE_CACHE_TTL_SECONDS: int(0, 365 * 24 * 3600, 86_400),
    /** Heartbeat of newly registered agents. @default 3600 */
    AOS_HEARTBEAT_SECONDS: int(1, 31 * 24 * 3600, 3600),
    /** Mailbox capacity of newly registered agents. @default 100 */
    AOS_MAILBOX_CAPACITY: int(1, 1000, 100),
    /** Largest accepted event envelope (JSON bytes); bigger ones answer 413. @default 16384 */
    AOS_MAX_EVENT_BYTES: int(256, 1_048_576, 16_384),
    /** How long `POST /api/agents` waits to read its own registration back. @default 5000 */
    AOS_REGISTER_CONFIRM_MS: int(0, 60_000, 5000),
    /** Folder of policy documents (`*.json`), relative to the app folder. @default config/policies */
    AOS_POLICY_DIR: z.string().min(1).default('config/policies'),
    /** How long a process reuses the policies it loaded (files and table). @default 5 */
    AOS_POLICY_CACHE_SECONDS: int(0, 3600, 5),
    /** External message bus for topic publications: Storage Queues (local/Azurite), Azure Service Bus, or none. @default storage-queue */
    AOS_BUS_PROVIDER: z.enum(['storage-queue', 'service-bus', 'none']).default('storage-queue'),
    /** Service Bus connection string (or use `AOS_SERVICEBUS_NAMESPACE` with Entra ID). */
    AOS_SERVICEBUS_CONNECTION: optionalText,
    /** Fully qualified Service Bus namespace, e.g. `aos.servicebus.windows.net` (token credential). */
    AOS_SERVICEBUS_NAMESPACE: optionalText,
  })
  .superRefine((v, ctx) => {
    if (v.AOS_INFERENCE_PROVIDER === 'openai' && !v.AOS_OPENAI_ENDPOINT) ctx.addIssue({ code: 'custom', path: ['AOS_OPENAI_ENDPOINT'], message: 'required when AOS_INFERENCE_PROVIDER=openai' });
    if (v.AOS_BUS_PROVIDER === 'service-bus' && !v.AOS_SERVICEBUS_CONNECTION && !v.AOS_SERVICEBUS_NAMESPACE) ctx.addIssue({ code: 'custom', path: ['AOS_SERVICEBUS_CONNECTION'], message: 'AOS_SERVICEBUS_CONNECTION or AOS_SERVICEBUS_NAMESPACE is required when AOS_BUS_PROVIDER=service-bus' });
    if (v.AOS_INFERENCE_PROVIDER === 'openai' && v.AOS_OPENAI_AUTH === 'key' && !v.AOS_OPENAI_API_KEY) ctx.addIssue({ code: 'custom', path: ['AOS_OPENAI_API_KEY'], message: 'required when AOS_OPENAI_AUTH=key' });
  });

export interface OpenAiConfig {
  endpoint: string;
  apiKey?: string;
  auth: 'key' | 'entra';
  model: string;
  timeoutMs: number;
  maxRetries: number;
  temperature: number;
  maxTokens: number;
}

/** The typed, frozen configuration passed down from the bootstrap. */
export interface Config {
  storageConnection: string;
  inference: {
    provider: 'lexical' | 'openai';
    openai?: OpenAiConfig;
    pricePer1k: { input: number; output: number };
    cacheTtlSeconds: number;
  };
  agents: { heartbeatSeconds: number; mailboxCapacity: number; maxEventBytes: number; registerConfirmMs: number };
  governance: { policyDir: string; policyCacheSeconds: number };
  bus: { provider: 'storage-queue' | 'service-bus' | 'none'; serviceBus?: { connectionString?: string; namespace?: string } };
}

export class ConfigError extends AosError {
  override name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  readonly kind = ErrorKind.internal;
}

/** Parses an environment; the error names every bad key. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid AOS configuration: ${problems}`);
  }
  const v = parsed.data;
  const openai: OpenAiConfig | undefined = v.AOS_OPENAI_ENDPOINT
    ? {
        endpoint: v.AOS_OPENAI_ENDPOINT,
        ...(v.AOS_OPENAI_API_KEY ? { apiKey: v.AOS_OPENAI_API_KEY } : {}),
        auth: v.AOS_OPENAI_AUTH,
        model: v.AOS_OPENAI_MODEL,
        timeoutMs: v.AOS_OPENAI_TIMEOUT_MS,
        maxRetries: v.AOS_OPENAI_MAX_RETRIES,
        temperature: v.AOS_OPENAI_TEMPERATURE,
        maxTokens: v.AOS_OPENAI_MAX_TOKENS,
      }
    : undefined;
  return Object.freeze({
    storageConnection: v.AOS_STORAGE_CONNECTION ?? v.AzureWebJobsStorage,
    inference: {
      provider: v.AOS_INFERENCE_PROVIDER,
      ...(openai ? { openai } : {}),
      pricePer1k: { input: v.AOS_PRICE_INPUT_PER_1K, output: v.AOS_PRICE_OUTPUT_PER_1K },
      cacheTtlSeconds: v.AOS_INFERENCE_CACHE_TTL_SECONDS,
    },
    agents: {
      heartbeatSeconds: v.AOS_HEARTBEAT_SECONDS,
      mailboxCapacity: v.AOS_MAILBOX_CAPACITY,
      maxEventBytes: v.AOS_MAX_EVENT_BYTES,
      registerConfirmMs: v.AOS_REGISTER_CONFIRM_MS,
    },
    governance: { policyDir: v.AOS_POLICY_DIR, policyCacheSeconds: v.AOS_POLICY_CACHE_SECONDS },
    bus: {
      provider: v.AOS_BUS_PROVIDER,
      ...(v.AOS_SERVICEBUS_CONNECTION || v.AOS_SERVICEBUS_NAMESPACE
        ? { serviceBus: { ...(v.AOS_SERVICEBUS_CONNECTION ? { connectionString: v.AOS_SERVICEBUS_CONNECTION } : {}), ...(v.AOS_SERVICEBUS_NAMESPACE ? { namespace: v.AOS_SERVICEBUS_NAMESPACE } : {}) } }
        : {}),
    },
  });
}

let loaded: Config | undefined;

/** The process's configuration, parsed from `process.env` on first use. */
export function getConfig(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
