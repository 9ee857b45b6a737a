/**
 * The storage account the host uses (`AzureWebJobsStorage`): a connection string, or the
 * development storage shortcut that points at Azurite's well-known account.
 */
import { z } from 'zod';
import { HostStartError } from '../config/host-config-error.js';

/** Azurite's documented development account; public by design. */
export const DEV_ACCOUNT_NAME = 'devstoreaccount1';
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface StorageEndpoints {
  blob: string;
  queue: string;
  table: string;
}

export interface StorageConnection {
  /** The connection string the Azure SDK clients take. */
  connectionString: string;
  accountName: string;
  endpoints: StorageEndpoints;
  /** True for Azurite's well-known account on this machine. */
  isDevelopmentStorage: boolean;
  /**
   * True only for the `UseDevelopmentStorage=true` shortcut (or no setting at all): then the host
   * starts Azurite when nothing listens. An explicit connection string is used as given, so a
   * wrong one fails at once instead of silently starting an emulator on its ports.
   */
  mayStartEmulator: boolean;
}

const PortsSchema = z.object({ blob: z.number().int(), queue: z.number().int(), table: z.number().int() });
export type AzuritePorts = z.infer<typeof PortsSchema>;
export const DEFAULT_AZURITE_PORTS: AzuritePorts = { blob: 10000, queue: 10001, table: 10002 };

export function developmentConnection(ports: AzuritePorts = DEFAULT_AZURITE_PORTS, host = '127.0.0.1'): StorageConnection {
  const endpoints = {
    blob: `http://${host}:${ports.blob}/${DEV_ACCOUNT_NAME}`,
    queue: `http://${host}:${ports.queue}/${DEV_ACCOUNT_NAME}`,
    table: `http://${host}:${ports.table}/${DEV_ACCOUNT_NAME}`,
  };
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};` +
      `BlobEndpoint=${endpoints.blob};QueueEndpoint=${endpoints.queue};TableEndpoint=${endpoints.table};`,
    accountName: DEV_ACCOUNT_NAME,
    endpoints,
    isDevelopmentStorage: true,
    mayStartEmulator: true,
  };
}

/** Parse a connection string; `UseDevelopmentStorage=true` (or nothing) means local Azurite. */
export function parseStorageConnection(value: string | undefined): StorageConnection {
  const text = (value ?? '').trim();
  if (text === '' || /^UseDevelopmentStorage=true;?$/i.test(text)) return developmentConnection();
  const parts = new Map<string, string>();
  for (const piece of text.split(';')) {
    if (piece.trim() === '') continue;
    const eq = piece.indexOf('=');
    if (eq <= 0) throw new HostStartError(`storage connection string is malformed near "${piece.slice(0, 20)}"`, 'STORAGE_CONNECTION_INVALID');
    parts.set(piece.slice(0, eq).trim().toLowerCase(), piece.slice(eq + 1).trim());
  }
  if (parts.get('usedevelopmentstorage') === 'true') {
    const proxy = parts.get('developmentstorageproxyuri');
    if (!proxy) return developmentConnection();
    const host = new URL(proxy).hostname;
    return developmentConnection(DEFAULT_AZURITE_PORTS, host);
  }
  const accountName = parts.get('accountname');
  if (!accountName) throw new HostStartError('storage connection string has no AccountName', 'STORAGE_CONNECTION_INVALID');
  const protocol = parts.get('defaultendpointsprotocol') ?? 'https';
  const suffix = parts.get('endpointsuffix') ?? 'core.windows.net';
  const endpoint = (kind: 'blob' | 'queue' | 'table') =>
    (parts.get(`${kind}endpoint`) ?? `${protocol}://${accountName}.${kind}.${suffix}`).replace(/\/+$/, '');
  const endpoints = { blob: endpoint('blob'), queue: endpoint('queue'), table: endpoint('table') };
  const local = [endpoints.blob, endpoints.queue, endpoints.table].every((e) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(e));
  return { connectionString: text, accountName, endpoints, isDevelopmentStorage: local && accountName === DEV_ACCOUNT_NAME, mayStartEmulator: false };
}

/** The ports of a local endpoint set, when all three are on this machine. */
export function localPorts(connection: StorageConnection): AzuritePorts | undefined {
  try {
    const port = (e: string) => Number(new URL(e).port || (e.startsWith('https') ? 443 : 80));
    return PortsSchema.parse({ blob: port(connection.endpoints.blob), queue: port(connection.endpoints.queue), table: port(connection.endpoints.table) });
  } catch {
    return undefined;
  }
}
