// Proves, without Azure and without the Bicep CLI (neither is reachable here), that the templates in
// infrastructure/ give the app what it needs and no more: the settings the app's ConfigSchema needs,
// a role for each service the app is connected to or its code uses and none for anything else, no
// keys or connection strings in app settings, and modules, params, outputs and JSON paths that line
// up. The Bicep is read as text with regular expressions (tests/support/bicep-template.ts).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { loadedJsonFiles, objectEntries, readBicep, varBlock, type BicepFile } from '../support/bicep-template.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INFRA = path.join(ROOT, 'infrastructure');
const main = readBicep(path.join(INFRA, 'main.bicep'));
const files = globSync('**/*.bicep', { cwd: INFRA, absolute: true }).map(readBicep);
const roleFile = readBicep(path.join(INFRA, 'modules/role-assignments.bicep'));
const messaging = JSON.parse(readFileSync(path.join(INFRA, 'messaging.json'), 'utf8')) as {
  topics: Record<string, { name: string; subscriptions: Record<string, { name: string }> }>;
};

/** Built-in role GUIDs (the same in every tenant), from Azure's built-in roles reference. */
const BUILT_IN_ROLES: Record<string, string> = {
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b': 'Storage Blob Data Owner',
  'ba92f5b4-2d11-453d-a403-e96b0029c9fe': 'Storage Blob Data Contributor',
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88': 'Storage Queue Data Contributor',
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3': 'Storage Table Data Contributor',
  '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39': 'Azure Service Bus Data Sender',
  '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0': 'Azure Service Bus Data Receiver',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
  '3913510d-42f4-4e42-8a64-420c390055eb': 'Monitoring Metrics Publisher',
  '0ad04412-c4d5-4796-b79c-f76d14c8d402': 'Durable Task Data Contributor',
};

const KEY_VAULT_REFERENCE = /^'@Microsoft\.KeyVault\((SecretUri=https:\/\/|SecretUri=\$\{|VaultName=)/;

/** What each service needs: the resource its roles sit on, the roles (any one of each group), the setting that connects the app. */
const SERVICES = {
  storage: {
    resourceType: 'Microsoft.Storage/storageAccounts',
    roles: [['Storage Blob Data Owner', 'Storage Blob Data Contributor'], ['Storage Queue Data Contributor'], ['Storage Table Data Contributor']],
    connected: (s: Settings) => 'AzureWebJobsStorage__accountName' in s,
  },
  serviceBus: {
    resourceType: 'Microsoft.ServiceBus/namespaces',
    roles: [['Azure Service Bus Data Sender'], ['Azure Service Bus Data Receiver']],
    connected: (s: Settings) => 'ServiceBusConnection__fullyQualifiedNamespace' in s,
  },
  keyVault: {
    resourceType: 'Microsoft.KeyVault/vaults',
    roles: [['Key Vault Secrets User']],
    // Key Vault references the platform resolves, or the endpoint the app's secret provider reads.
    connected: (s: Settings) => 'AZURE_KEY_VAULT_ENDPOINT' in s || Object.values(s).some((v) => KEY_VAULT_REFERENCE.test(v)),
  },
  monitoring: {
    resourceType: 'Microsoft.Insights/components',
    roles: [['Monitoring Metrics Publisher']],
    connected: (s: Settings) => /Authorization=AAD/.test(s.APPLICATIONINSIGHTS_AUTHENTICATION_STRING ?? ''),
  },
} as const;
type Service = keyof typeof SERVICES;

/** App settings as written in main.bicep: setting name -> Bicep value expression. */
type Settings = Record<string, string>;
const entriesOf = (name: string): Settings => Object.fromEntries(objectEntries(varBlock(main.code, name)).map((e) => [e.key, e.value]));
const baseSettings = entriesOf('baseSettings');
const keyVaultSettings = entriesOf('keyVaultSettings');
const allSettings = { ...baseSettings, ...keyVaultSettings };

/** Evaluates a setting expression the way a deployment would, with `params` as the azd environment gives them. */
function resolve(expr: string, params: Record<string, string>): string {
  const value = expr.trim();
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/\$\{([^}]+)\}/g, (_, inner: string) => resolve(inner, params));
  const param = main.params.get(value);
  if (param) return params[value] ?? resolve(param.defaultText ?? "''", params);
  if (value === 'tenant().tenantId') return '<tenant>';
  if (value.startsWith('messaging.')) return String(value.split('.').slice(1).reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], messaging));
  const output = /^(\w+)\.outputs\.(\w+)$/.exec(value);
  if (output) return `<${output[1]}.${output[2]}>`;
  throw new Error(`cannot evaluate setting expression ${value}`);
}

/** The environment the app sees: settings resolved, Key Vault references replaced by the secret, as the platform does. */
function appEnvironment(settings: Settings, params: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, KEY_VAULT_REFERENCE.test(v) ? 'secret-from-key-vault' : resolve(v, params)]));
}

/** Role assignments of role-assignments.bicep: built-in role name and the type of the resource it is scoped to. */
function roleAssignments(): Array<{ role: string; scopeType: string }> {
  const table = new Map([...roleFile.raw.matchAll(/^\s*(\w+):\s*'([0-9a-f-]{36})'/gm)].map((m) => [m[1] as string, m[2] as string]));
  return roleFile.resources
    .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
    .flatMap((r) => {
      const scope = /\bscope:\s*(\w+)/.exec(r.text)?.[1];
      const scopeType = roleFile.resources.find((s) => s.symbol === scope)?.type ?? `unresolved scope ${scope}`;
      return [...r.text.matchAll(/\broles\.(\w+)/g)].map((m) => ({ role: BUILT_IN_ROLES[table.get(m[1] as string) ?? ''] ?? `unknown ${m[1]}`, scopeType }));
    });
}

/** Identifiers a file reads (entry values and `${}` interpolations), minus function calls, properties and keywords. */
function readIdentifiers(bicep: BicepFile): Set<string> {
  const exprs = [...bicep.code.matchAll(/^\s*(?:'[^']+'|\w+)\s*:\s*(.+)$/gm)].map((m) => m[1] as string);
  exprs.push(...[...bicep.code.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1] as string));
  const ids = exprs.flatMap((e) => [...e.replace(/'[^']*'/g, "''").matchAll(/(?<![.\w@])([A-Za-z_]\w*)(?![\w(:])/g)].map((m) => m[1] as string));
  return new Set(ids.filter((id) => !['true', 'false', 'null', 'for', 'in', 'if', 'existing'].includes(id)));
}

function declared(bicep: BicepFile): Set<string> {
  const vars = [...bicep.code.matchAll(/^var\s+(\w+)/gm)].map((m) => m[1] as string);
  const loops = [...bicep.code.matchAll(/\bfor\s+(\w+)\s+in\b/g)].map((m) => m[1] as string);
  const lambdas = [...bicep.code.matchAll(/\b(\w+)\s*=>/g)].map((m) => m[1] as string);
  return new Set([...bicep.params.keys(), ...vars, ...loops, ...lambdas, ...bicep.resources.map((r) => r.symbol), ...bicep.modules.map((m) => m.symbol)]);
}

describe('infrastructure templates: structure', () => {
  it('calls only module files that exist', () => {
    const calls = files.flatMap((f) => f.modules);
    expect(calls.length).toBeGreaterThanOrEqual(7);
    for (const call of calls) expect(existsSync(call.file), `${call.source}`).toBe(true);
  });

  it('passes each module exactly its declared params, including every param without a default', () => {
    for (const call of main.modules) {
      const callee = readBicep(call.file);
      const required = [...callee.params.values()].filter((p) => p.defaultText === undefined).map((p) => p.name);
      expect(call.passed.filter((p) => !callee.params.has(p)), `undeclared params passed to ${call.source}`).toEqual([]);
      expect(required.filter((p) => !call.passed.includes(p)), `required params not passed to ${call.source}`).toEqual([]);
    }
  });

  it('reads only declared identifiers and module outputs, and uses every param it declares', () => {
    for (const bicep of files) {
      const known = declared(bicep);
      const name = path.relative(INFRA, bicep.file);
      expect([...readIdentifiers(bicep)].filter((id) => !known.has(id)), `undeclared identifiers in ${name}`).toEqual([]);
      const unused = [...bicep.params.keys()].filter((p) => !new RegExp(`\\b${p}\\b`).test(bicep.code.replace(new RegExp(`^param\\s+${p}\\b`, 'm'), '')));
      expect(unused, `unused params in ${name}`).toEqual([]);
      for (const m of bicep.code.matchAll(/\b(\w+)\.outputs\.(\w+)/g)) {
        const call = bicep.modules.find((c) => c.symbol === m[1]);
        expect(call && readBicep(call.file).outputs.has(m[2] as string), `${m[0]} in ${name}`).toBe(true);
      }
    }
  });

  it('fills every param of main.bicep from main.parameters.json or a default, and nothing else', () => {
    const json = JSON.parse(readFileSync(path.join(INFRA, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, unknown> };
    const given = Object.keys(json.parameters);
    expect(given.filter((p) => !main.params.has(p))).toEqual([]);
    expect([...main.params.values()].filter((p) => p.defaultText === undefined && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
  });

  it('loads JSON files that exist, and the paths it reads from them exist', () => {
    for (const bicep of files) for (const json of loadedJsonFiles(bicep)) expect(existsSync(json.file), json.source).toBe(true);
    const host = JSON.parse(readFileSync(path.join(ROOT, 'host.json'), 'utf8')) as { extensions: { durableTask: { hubName: string } } };
    expect(main.code).toContain("loadJsonContent('../host.json').extensions.durableTask.hubName");
    expect(host.extensions.durableTask.hubName).toMatch(/^[A-Za-z][A-Za-z0-9]{2,44}$/);
    for (const expr of Object.values(allSettings).filter((v) => v.startsWith('messaging.'))) expect(resolve(expr, {}), expr).toMatch(/^aos-/);
  });

  it('deploys with azd: azure.yaml points at main.bicep and at an app folder whose Function App carries the service tag', () => {
    const yaml = readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8');
    expect(yaml).toMatch(/^infra:\n\s+provider: bicep\n\s+path: infrastructure\n\s+module: main$/m);
    const service = /^services:\n\s+(\w+):\n(?:\s+#.*\n)*\s+project: (\S+)/m.exec(yaml);
    expect(service).not.toBeNull();
    const [, serviceName, project] = service as RegExpExecArray;
    expect(existsSync(path.join(ROOT, project as string, 'host.json'))).toBe(true);
    expect(yaml).toMatch(/^\s+host: function$/m);
    expect(readBicep(path.join(INFRA, 'modules/function-app.bicep')).code).toContain(`'azd-service-name': '${serviceName}'`);
  });

  it('hosts the app on Flex Consumption with Node 20 or 22, scale settings and an identity-authenticated deployment container', () => {
    const app = readBicep(path.join(INFRA, 'modules/function-app.bicep'));
    expect(app.code).toMatch(/sku: \{ name: 'FC1', tier: 'FlexConsumption' \}/);
    expect(app.code).toMatch(/functionAppConfig: \{[\s\S]*type: 'blobContainer'[\s\S]*type: 'UserAssignedIdentity'[\s\S]*scaleAndConcurrency: \{[\s\S]*maximumInstanceCount[\s\S]*instanceMemoryMB[\s\S]*runtime: \{\s*name: 'node'\s*version: nodeVersion/);
    expect(main.params.get('nodeVersion')?.decorators).toContain("@allowed(['20', '22'])");
    // Flex Consumption rejects these: runtime and content live in functionAppConfig.
    const forbidden = ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_NODE_DEFAULT_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTSHARE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING'];
    expect(Object.keys(allSettings).filter((k) => forbidden.includes(k))).toEqual([]);
  });

  it('creates the Service Bus topics and subscriptions messaging.json names, and hands every name to the app', () => {
    const names = Object.values(messaging.topics).flatMap((t) => [t.name, ...Object.values(t.subscriptions).map((s) => s.name)]);
    expect(names.length).toBeGreaterThanOrEqual(4);
    // Valid as Service Bus entity names and as Storage Queue names (the local bus).
    for (const n of names) expect(n).toMatch(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/);
    const given = Object.values(appEnvironment(allSettings));
    expect(names.filter((n) => !given.includes(n))).toEqual([]);
    const bus = readBicep(path.join(INFRA, 'modules/service-bus.bicep')).code;
    expect(bus).toContain('items(messaging.topics)');
    expect(bus).toContain('items(t.value.subscriptions)');
  });
});

describe('infrastructure templates: app settings', () => {
  const schemaKeys = Object.keys(ConfigSchema.shape);

  it('provides, unconditionally, every setting the app ConfigSchema requires', () => {
    const required = Object.entries(ConfigSchema.shape).filter(([, s]) => !s.safeParse(undefined).success).map(([k]) => k);
    expect(required.filter((k) => !(k in baseSettings))).toEqual([]);
  });

  it('sets only AOS_ settings that ConfigSchema reads or that name the bus for trigger bindings', () => {
    const unknown = Object.keys(allSettings).filter((k) => k.startsWith('AOS_') && !schemaKeys.includes(k) && !k.startsWith('AOS_BUS_'));
    expect(unknown).toEqual([]);
  });

  it('parses through ConfigSchema with the default parameters, selecting the lexical provider', () => {
    const parsed = ConfigSchema.safeParse(appEnvironment(baseSettings));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data?.AOS_INFERENCE_PROVIDER).toBe('lexical');
  });

  it('parses through ConfigSchema for an OpenAI endpoint with its key from Key Vault', () => {
    const env = appEnvironment(allSettings, { inferenceProvider: 'openai', openAiAuth: 'key', openAiEndpoint: 'https://aos.openai.azure.com/openai/v1' });
    const parsed = ConfigSchema.safeParse(env);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({ AOS_INFERENCE_PROVIDER: 'openai', AOS_OPENAI_AUTH: 'key', AOS_OPENAI_API_KEY: 'secret-from-key-vault' });
  });

  it('fails ConfigSchema on AOS_OPENAI_API_KEY when key auth has no Key Vault setting, so that setting is what satisfies it', () => {
    const env = appEnvironment(baseSettings, { inferenceProvider: 'openai', openAiAuth: 'key', openAiEndpoint: 'https://aos.openai.azure.com/openai/v1' });
    const parsed = ConfigSchema.safeParse(env);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['AOS_OPENAI_API_KEY']);
  });

  it('parses through ConfigSchema for an OpenAI endpoint with Entra ID auth and no secret', () => {
    const env = appEnvironment(baseSettings, { inferenceProvider: 'openai', openAiAuth: 'entra', openAiEndpoint: 'https://aos.openai.azure.com/openai/v1' });
    expect(ConfigSchema.safeParse(env).success).toBe(true);
  });

  it('turns HTTP API auth on by default, and parses with Entra ID tokens of the deploying tenant when an audience is given', () => {
    expect(ConfigSchema.parse(appEnvironment(baseSettings)).AOS_AUTH_MODE).toBe('key');
    const parsed = ConfigSchema.safeParse(appEnvironment(baseSettings, { authMode: 'key-or-entra', authAudience: 'api://aos' }));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({ AOS_AUTH_MODE: 'key-or-entra', AOS_AUTH_TENANT_ID: '<tenant>', AOS_AUTH_AUDIENCE: 'api://aos' });
    const noAudience = ConfigSchema.safeParse(appEnvironment(baseSettings, { authMode: 'entra' }));
    expect(noAudience.error?.issues.map((i) => i.path.join('.'))).toEqual(['AOS_AUTH_AUDIENCE']);
  });

  it('holds no account key, shared access key or key-bearing connection string, and no template reads one', () => {
    for (const [k, v] of Object.entries(appEnvironment(allSettings))) expect(v, k).not.toMatch(/AccountKey=|SharedAccessKey=|SharedAccessSignature=|DefaultEndpointsProtocol=|UseDevelopmentStorage/i);
    for (const [k, v] of Object.entries(allSettings)) expect(v, k).not.toMatch(/AccountKey=|SharedAccessKey=/i);
    for (const bicep of files) expect(bicep.code, bicep.file).not.toMatch(/listKeys\(|listConnectionStrings\(|listAccountSas\(|primaryConnectionString|primaryKey/);
  });

  it('keeps every secret-named setting behind a Key Vault reference and no literal looks like a secret', () => {
    for (const [k, v] of Object.entries(allSettings)) {
      if (/(KEY|SECRET|PASSWORD|TOKEN)$/i.test(k)) expect(v, k).toMatch(KEY_VAULT_REFERENCE);
      if (/^'[^$]*'$/.test(v)) expect(v, k).not.toMatch(/[A-Za-z0-9+/=]{24,}/);
    }
    expect(Object.keys(keyVaultSettings)).toEqual(['AOS_OPENAI_API_KEY']);
  });

  it('turns off local (key) authentication on every service that has it', () => {
    const text = (f: string) => readBicep(path.join(INFRA, 'modules', f)).code;
    expect(text('storage.bicep')).toMatch(/allowSharedKeyAccess: false/);
    expect(text('service-bus.bicep')).toMatch(/disableLocalAuth: true/);
    expect(text('monitoring.bicep')).toMatch(/DisableLocalAuth: true/);
    expect(text('key-vault.bicep')).toMatch(/enableRbacAuthorization: true/);
    expect(text('key-vault.bicep')).not.toMatch(/accessPolicies/);
  });
});

describe('infrastructure templates: role assignments', () => {
  const assignments = roleAssignments();

  it('names each role by the built-in role its GUID defines', () => {
    const rows = [...roleFile.raw.matchAll(/^\s*\w+:\s*'([0-9a-f-]{36})'\s*\/\/\s*(.+?)\s*$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const [, guid, name] of rows) expect(BUILT_IN_ROLES[guid as string], guid).toBe(name);
  });

  it('grants each role only on the resource of its service', () => {
    expect(assignments.length).toBeGreaterThanOrEqual(7);
    for (const a of assignments) {
      const owner = Object.values(SERVICES).find((s) => s.roles.some((group) => (group as readonly string[]).includes(a.role)));
      expect(owner, `no service needs ${a.role}`).toBeDefined();
      expect(a.scopeType, a.role).toBe(owner?.resourceType);
    }
  });

  it('grants a role for every service the app is connected to, and connects the app to every service it holds a role for', () => {
    for (const [name, service] of Object.entries(SERVICES)) {
      const held = service.roles.filter((group) => assignments.some((a) => (group as readonly string[]).includes(a.role)));
      if (service.connected(allSettings)) expect(held.length, `${name} roles`).toBe(service.roles.length);
      else expect(held, `${name} has roles but no connection`).toEqual([]);
    }
  });

  it('connects the app to every service its code uses', () => {
    const sources = globSync(['src/**/*.ts', 'entities/**/*.ts', 'orchestrators/**/*.ts', 'activities/**/*.ts'], { cwd: ROOT, ignore: ['src/host/**', '**/*.test.ts'] });
    const code = sources.map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    const host = readFileSync(path.join(ROOT, 'host.json'), 'utf8');
    const used = new Set<Service>(['monitoring']);
    // The Durable extension's Azure Storage provider keeps the task hub in AzureWebJobsStorage.
    if (/"durableTask"/.test(host) && !/"azureManaged"/.test(host)) used.add('storage');
    if (/from '@azure\/(data-tables|storage-blob|storage-queue)'/.test(code)) used.add('storage');
    if (/from '@azure\/service-bus'|app\.serviceBus(Queue|Topic)\(|output\.serviceBus/.test(code)) used.add('serviceBus');
    if (/from '@azure\/keyvault-secrets'/.test(code)) used.add('keyVault');
    expect(used.has('storage')).toBe(true);
    for (const service of used) expect(SERVICES[service].connected(allSettings), service).toBe(true);
  });
});
