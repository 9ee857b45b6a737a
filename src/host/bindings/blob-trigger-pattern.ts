/**
 * A `blobTrigger` path such as `samples/{name}.csv`: a literal container, then a blob name pattern
 * whose `{x}` parts capture (greedily, across `/`, as the WebJobs SDK's capture patterns do) into
 * the binding data of the invocation.
 * @see https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#blob-name-patterns
 */
import { BindingInvocationError, parseTemplate } from './binding-expressions.js';

export interface BlobTriggerPattern {
  container: string;
  /** The literal start of the blob name, to list only candidates. */
  prefix: string;
  /** The captured values for a blob name that matches, else undefined. */
  match(blobName: string): Record<string, string> | undefined;
}

export function parseBlobTriggerPattern(path: string): BlobTriggerPattern {
  const slash = path.indexOf('/');
  const container = slash === -1 ? path : path.slice(0, slash);
  const blobPattern = slash === -1 ? '' : path.slice(slash + 1);
  if (!/^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/.test(container)) {
    throw new BindingInvocationError(`blob trigger path '${path}': the container '${container}' must be a literal, valid container name`);
  }
  const names: string[] = [];
  let regex = '^';
  let prefix = '';
  let literalStart = true;
  for (const token of parseTemplate(blobPattern)) {
    if (token.literal !== undefined) {
      regex += token.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (literalStart) prefix += token.literal;
      continue;
    }
    literalStart = false;
    const parts = token.parts ?? [];
    const name = parts[0] ?? '';
    if (parts.length !== 1 || token.builtin || token.format !== undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new BindingInvocationError(`blob trigger path '${path}': '{${parts.join('.')}}' cannot capture a value; use a simple name`);
    }
    names.push(name);
    regex += '(.*)';
  }
  const re = new RegExp(`${regex}$`, 's');
  return {
    container,
    prefix,
    match(blobName) {
      const m = re.exec(blobName);
      if (!m) return undefined;
      const out: Record<string, string> = {};
      names.forEach((n, i) => (out[n] = m[i + 1] ?? ''));
      return out;
    },
  };
}
