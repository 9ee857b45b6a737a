/**
 * The token credential of the app's identity, one per choice and process: the managed identity
 * named by a client id (what the Functions host settings `__credential=managedidentity` and
 * `__clientId` mean), or DefaultAzureCredential (environment, workload identity, managed identity,
 * Azure CLI: what a developer's machine has).
 */
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { AzureCredentialChoice } from '../config.js';

const credentials = new Map<string, TokenCredential>();

export function azureCredential(choice: AzureCredentialChoice = { managedIdentity: false }): TokenCredential {
  const key = `${choice.managedIdentity ? 'mi' : 'default'}:${choice.clientId ?? ''}`;
  let credential = credentials.get(key);
  if (!credential) {
    credential = choice.managedIdentity
      ? new ManagedIdentityCredential(choice.clientId ? { clientId: choice.clientId } : {})
      : new DefaultAzureCredential(choice.clientId ? { managedIdentityClientId: choice.clientId } : {});
    credentials.set(key, credential);
  }
  return credential;
}
