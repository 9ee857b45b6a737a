/**
 * What trigger and output bindings read from app settings: `%Setting%` expressions in their
 * string properties, the `AzureWebJobs.<Function>.Disabled` switch, and the storage account a
 * `connection` names.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-expressions-patterns#binding-expressions---app-settings
 */
import { HostStartError } from '../config/host-config-error.js';
import { MissingAppSettingError, resolveAppSettingExpressions } from '../config/app-settings.js';
import { parseStorageConnection, type StorageConnection } from '../storage/storage-connection.js';
import type { RpcBindingInfo } from '../worker/rpc-types.js';

/** The binding with `%Setting%` resolved in every string property; a missing setting stops the host. */
export function resolveBinding<T extends RpcBindingInfo>(functionName: string, bindingName: string, binding: T, env: NodeJS.ProcessEnv): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(binding)) {
    if (typeof value !== 'string') {
      out[key] = value;
      continue;
    }
    try {
      out[key] = resolveAppSettingExpressions(value, env);
    } catch (err) {
      if (!(err instanceof MissingAppSettingError)) throw err;
      // Generated binding names (`timerTriggeraa19aaf83c`) mean nothing to a user; the type does.
      const what = `${String(binding.type ?? bindingName)}${binding.direction === 'out' ? ' output' : ''}`;
      throw new HostStartError(`function '${functionName}' (${what}): ${key} '${value}' refers to app setting '${err.setting}', which is not defined`, 'APP_SETTING_MISSING', { cause: err });
    }
  }
  return out as T;
}

/** The host's switch for turning a function off without removing it. */
export function isFunctionDisabled(functionName: string, env: NodeJS.ProcessEnv): boolean {
  const value = env[`AzureWebJobs.${functionName}.Disabled`] ?? env[`AzureWebJobs_${functionName}_Disabled`];
  return value !== undefined && /^(true|1)$/i.test(value.trim());
}

/** A binding's `true`/`"true"` flag, with a default when absent. */
export function bindingFlag(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && value.trim() !== '') return /^true$/i.test(value.trim());
  return fallback;
}

/**
 * The storage account a binding's `connection` names: the NAME of an app setting holding a
 * connection string (looked up as given, then with the `AzureWebJobs` prefix, as the host does).
 * No connection, or `AzureWebJobsStorage`, means the host's own account.
 */
export function storageConnectionFor(functionName: string, connection: unknown, env: NodeJS.ProcessEnv, hostStorage: StorageConnection): StorageConnection {
  const name = typeof connection === 'string' ? connection.trim() : '';
  if (name === '' || name.toLowerCase() === 'azurewebjobsstorage') return hostStorage;
  const value = env[name] ?? env[`AzureWebJobs${name}`];
  if (value === undefined || value.trim() === '') {
    const identity = env[`${name}__queueServiceUri`] ?? env[`${name}__serviceUri`] ?? env[`${name}__accountName`];
    const why = identity ? 'identity-based connections are not supported by this host; use a connection string' : 'no app setting by that name holds a connection string';
    throw new HostStartError(`function '${functionName}': connection '${name}': ${why}`, 'STORAGE_CONNECTION_INVALID');
  }
  return parseStorageConnection(value);
}
