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
    /** Storage for app data (inference cache, transcripts, agent directory). @default the Functions storage account, else Azurite */
    AzureWebJobsStorage: optionalText,
    AOS_STORAGE_CONNECTION: optionalText,
    /** Identity-based storage, as the Functions host reads it (used when no connection string is set). */
    AzureWebJobsStorage__accountName: optionalText,
    AzureWebJobsStorage__blobServiceUri: optionalText.pipe(z.url().optional()),
    AzureWebJobsStorage__tableServiceUri: optionalText.pipe(z.url().optional()),
    AzureWebJobsStorage__queueServiceUri: optionalText.pipe(z.url().optional()),
    /** `managedidentity` uses the managed identity (with `__clientId` for a user-assigned one); otherwise DefaultAzureCredential. */
    AzureWebJobsStorage__credential: optionalText,
    AzureWebJobsStorage__clientId: optionalText,
    /** Who may call the HTTP API: nobody is checked (`none`, local default), function keys, Entra ID tokens, or either. @default none */
    AOS_AUTH_MODE: z.enum(['none', 'key', 'entra', 'key-or-entra']).default('none'),
    /** Entra ID tenant whose tokens are accepted (JWKS and issuer come from it). */
    AOS_AUTH_TENANT_ID: optionalText,
    /** Accepted token audiences, comma-separated (the app registration's client id and/or Application ID URI). */
    AOS_AUTH_AUDIENCE: optionalText,
    /** Development and tests: an HS256 secret that signs local tokens (issuer `AOS_AUTH_LOCAL_ISSUER`). */
    AOS_AUTH_LOCAL_SECRET: optionalText,
    /** Development and tests: a PEM (SPKI) RSA public key that verifies RS256 local tokens. */
    AOS_AUTH_LOCAL_PUBLIC_KEY: optionalText,
    /** @default aos-local */
    AOS_AUTH_LOCAL_ISSUER: z.string().min(1).default('aos-local'),
    /** Name of the secret holding the accepted API keys (`role:key` or `key`, comma-separated). @default aos-function-keys */
    AOS_AUTH_KEYS_SECRET: z.string().min(1).default('aos-function-keys'),
    /** Key Vault for secrets (`https://<vault>.vault.azure.net/`); without it secrets come from the environment only. */
    AZURE_KEY_VAULT_ENDPOINT: optionalText,
    /** How long a secret read from Key Vault is reused. @default 300 */
    AOS_SECRETS_CACHE_SECONDS: int(0, 86_400, 300),
    /** Telemetry exporter: auto (Azure Monitor, else OTLP, else none), or one by name; `memory-file:<path>` is for tests. @default auto */
    AOS_OTEL_EXPORTER: z.string().regex(/^(auto|none|console|otlp|azure-monitor|memory-file:.+)$/, 'auto, none, console, otlp, azure-monitor or memory-file:<path>').default('auto'),
    /** How often metrics are exported. @default 60000 */
    AOS_OTEL_METRIC_INTERVAL_MS: int(100, 3_600_000, 60_000),
    APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
    /** `ClientId=<id>;Authorization=AAD` sends telemetry as that managed identity. */
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: optionalText,
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(z.url().optional()),
    /** @default aos */
    OTEL_SERVICE_NAME: z.string().min(1).default('aos'),
    /** Structured logs include event payloads only when true. @default false */
    AOS_LOG_PAYLOADS: z.stringbool().default(false),
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
    if ((v.AOS_AUTH_MODE === 'entra' || v.AOS_AUTH_MODE === 'key-or-entra') && !v.AOS_AUTH_TENANT_ID && !v.AOS_AUTH_LOCAL_SECRET && !v.AOS_AUTH_LOCAL_PUBLIC_KEY)
      ctx.addIssue({ code: 'custom', path: ['AOS_AUTH_TENANT_ID'], message: `AOS_AUTH_TENANT_ID (or a local signing key) is required when AOS_AUTH_MODE=${v.AOS_AUTH_MODE}` });
    if ((v.AOS_AUTH_MODE === 'entra' || v.AOS_AUTH_MODE === 'key-or-entra') && !v.AOS_AUTH_AUDIENCE) ctx.addIssue({ code: 'custom', path: ['AOS_AUTH_AUDIENCE'], message: `required when AOS_AUTH_MODE=${v.AOS_AUTH_MODE}` });
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

/** How to reach Azure with an identity: the managed identity (user-assigned when `clientId`) or DefaultAzureCredential. */
export interface AzureCredentialChoice {
  managedIdentity: boolean;
  clientId?: string;
}

/** Where the app's own tables, blobs and queues live: a connection string (Azurite, or an account with a key) or service URIs reached with an identity. */
export type StorageTarget =
  | { kind: 'connection-string'; connectionString: string }
  | { kind: 'identity'; blobServiceUri: string; tableServiceUri: string; queueServiceUri: string; credential: AzureCredentialChoice };

export const AuthMode = { none: 'none', key: 'key', entra: 'entra', keyOrEntra: 'key-or-entra' } as const;
export type AuthMode = (typeof AuthMode)[keyof typeof AuthMode];

export interface AuthConfig {
  mode: AuthMode;
  /** Entra ID tenant; tokens are verified against its JWKS and issuer. */
  tenantId?: string;
  audiences: string[];
  /** Development and tests: tokens signed by a local key, recognised by their issuer. */
  local?: { issuer: string; secret?: string; publicKeyPem?: string };
  /** Secret (Key Vault name, or the environment as upper snake case) that lists the accepted API keys. */
  keysSecretName: string;
}

export interface SecretsConfig {
  keyVaultUri?: string;
  cacheSeconds: number;
}

export type TelemetryExporter = { type: 'none' } | { type: 'console' } | { type: 'otlp'; endpoint?: string } | { type: 'azure-monitor'; connectionString: string; aadClientId?: string } | { type: 'memory-file'; path: string };

export interface TelemetryConfig {
  serviceName: string;
  exporter: TelemetryExporter;
  metricIntervalMs: number;
  logPayloads: boolean;
}

/** The typed, frozen configuration passed down from the bootstrap. */
export interface Config {
  /** A connection string; for identity-based storage a keyless one naming the endpoints (see `storage`). */
  storageConnection: string;
  storage: StorageTarget;
  auth: AuthConfig;
  secrets: SecretsConfig;
  telemetry: TelemetryConfig;
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
  const storage = storageTarget(v);
  return Object.freeze({
    storageConnection: storage.kind === 'connection-string' ? storage.connectionString : `BlobEndpoint=${storage.blobServiceUri};QueueEndpoint=${storage.queueServiceUri};TableEndpoint=${storage.tableServiceUri}`,
    storage,
    auth: authConfig(v),
    secrets: { ...(v.AZURE_KEY_VAULT_ENDPOINT ? { keyVaultUri: v.AZURE_KEY_VAULT_ENDPOINT } : {}), cacheSeconds: v.AOS_SECRETS_CACHE_SECONDS },
    telemetry: { serviceName: v.OTEL_SERVICE_NAME, exporter: telemetryExporter(v), metricIntervalMs: v.AOS_OTEL_METRIC_INTERVAL_MS, logPayloads: v.AOS_LOG_PAYLOADS },
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

type ParsedEnv = z.output<typeof ConfigSchema>;

/** A connection string wins (as for the Functions host); else the `AzureWebJobsStorage__*` identity settings; else Azurite. */
function storageTarget(v: ParsedEnv): StorageTarget {
  const connectionString = v.AOS_STORAGE_CONNECTION ?? v.AzureWebJobsStorage;
  if (connectionString) return { kind: 'connection-string', connectionString };
  const account = v.AzureWebJobsStorage__accountName;
  const uri = (given: string | undefined, service: string) => given ?? (account ? `https://${account}.${service}.core.windows.net` : undefined);
  const blob = uri(v.AzureWebJobsStorage__blobServiceUri, 'blob');
  const table = uri(v.AzureWebJobsStorage__tableServiceUri, 'table');
  const queue = uri(v.AzureWebJobsStorage__queueServiceUri, 'queue');
  if (!blob || !table || !queue) {
    if (blob || table || queue) throw new ConfigError('identity-based storage needs AzureWebJobsStorage__accountName, or all of AzureWebJobsStorage__blobServiceUri, __tableServiceUri and __queueServiceUri');
    return { kind: 'connection-string', connectionString: 'UseDevelopmentStorage=true' };
  }
  const credential: AzureCredentialChoice = {
    managedIdentity: v.AzureWebJobsStorage__credential?.toLowerCase() === 'managedidentity',
    ...(v.AzureWebJobsStorage__clientId ? { clientId: v.AzureWebJobsStorage__clientId } : {}),
  };
  return { kind: 'identity', blobServiceUri: blob, tableServiceUri: table, queueServiceUri: queue, credential };
}

function authConfig(v: ParsedEnv): AuthConfig {
  const hasLocal = Boolean(v.AOS_AUTH_LOCAL_SECRET || v.AOS_AUTH_LOCAL_PUBLIC_KEY);
  return {
    mode: v.AOS_AUTH_MODE,
    ...(v.AOS_AUTH_TENANT_ID ? { tenantId: v.AOS_AUTH_TENANT_ID } : {}),
    audiences: (v.AOS_AUTH_AUDIENCE ?? '').split(',').map((a) => a.trim()).filter((a) => a !== ''),
    ...(hasLocal
      ? {
          local: {
            issuer: v.AOS_AUTH_LOCAL_ISSUER,
            ...(v.AOS_AUTH_LOCAL_SECRET ? { secret: v.AOS_AUTH_LOCAL_SECRET } : {}),
            // Settings cannot hold newlines everywhere: `\n` in the value stands for one.
            ...(v.AOS_AUTH_LOCAL_PUBLIC_KEY ? { publicKeyPem: v.AOS_AUTH_LOCAL_PUBLIC_KEY.replace(/\\n/g, '\n') } : {}),
          },
        }
      : {}),
    keysSecretName: v.AOS_AUTH_KEYS_SECRET,
  };
}

/** `auto` picks Azure Monitor when its connection string is set, else OTLP when an endpoint is set, else nothing. */
function telemetryExporter(v: ParsedEnv): TelemetryExporter {
  const choice = v.AOS_OTEL_EXPORTER;
  if (choice.startsWith('memory-file:')) return { type: 'memory-file', path: choice.slice('memory-file:'.length) };
  const aadClientId = /(?:^|;)\s*ClientId=([^;]+)/i.exec(v.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? '')?.[1];
  const azure = (): TelemetryExporter => {
    if (!v.APPLICATIONINSIGHTS_CONNECTION_STRING) throw new ConfigError('AOS_OTEL_EXPORTER=azure-monitor needs APPLICATIONINSIGHTS_CONNECTION_STRING');
    return { type: 'azure-monitor', connectionString: v.APPLICATIONINSIGHTS_CONNECTION_STRING, ...(aadClientId ? { aadClientId } : {}) };
  };
  const otlp = (): TelemetryExporter => ({ type: 'otlp', ...(v.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: v.OTEL_EXPORTER_OTLP_ENDPOINT } : {}) });
  switch (choice) {
    case 'none':
      return { type: 'none' };
    case 'console':
      return { type: 'console' };
    case 'otlp':
      return otlp();
    case 'azure-monitor':
      return azure();
    default:
      if (v.APPLICATIONINSIGHTS_CONNECTION_STRING) return azure();
      return v.OTEL_EXPORTER_OTLP_ENDPOINT ? otlp() : { type: 'none' };
  }
}

/**
 * A snapshot of the process environment, for the one consumer besides the config that needs names
 * it cannot know in advance: the environment secret provider (`local.settings.json` Values arrive
 * here too, applied by the host as Core Tools does).
 */
export function environmentSnapshot(): Readonly<Record<string, string | undefined>> {
  return Object.freeze({ ...process.env });
}

let loaded: Config | undefined;

/** The process's configuration, parsed from `process.env` on first use. */
export function getConfig(): Config {
  loaded ??= parseConfig(process.env);
  return loaded;
}
