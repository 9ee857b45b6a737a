// AOS on Azure: `azd up` provisions this (subscription scope: it creates the resource group) and
// deploys the app to the Function App. The app runs unchanged on the real Functions host and Durable
// extension, with the task hub in the storage account (Azure Storage provider, the layout the local
// host also writes). Every connection is identity-based; the only secret lives in Key Vault.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Node.js major version of the Functions worker.')
@allowed(['20', '22'])
param nodeVersion string = '22'

@description('Upper bound of instances Flex Consumption scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Inference provider: lexical (offline, deterministic) or openai (an OpenAI-compatible endpoint).')
@allowed(['lexical', 'openai'])
param inferenceProvider string = 'lexical'

@description('Base URL of the OpenAI-compatible API, e.g. https://<resource>.openai.azure.com/openai/v1. Empty with the lexical provider.')
param openAiEndpoint string = ''

@description('key: send the endpoint key from Key Vault; entra: the app\'s identity asks Entra ID for a token.')
@allowed(['key', 'entra'])
param openAiAuth string = 'key'

@description('Model used when an agent names neither an adapter nor a model.')
param openAiModel string = 'gpt-4o-mini'

@secure()
@description('Endpoint key for openAiAuth=key; stored in Key Vault, never in app settings. Empty: no key.')
param openAiApiKey string = ''

@description('Who may call the HTTP API: key (API keys listed in the Key Vault secret aos-function-keys), entra (Entra ID tokens with app roles), or key-or-entra.')
@allowed(['key', 'entra', 'key-or-entra'])
param authMode string = 'key'

@description('Accepted token audiences for the entra modes: the API app registration\'s Application ID URI and/or client id, comma-separated.')
param authAudience string = ''

var tags = { 'azd-env-name': environmentName, application: 'aos' }
// Stable per subscription, environment and region, so re-running azd up updates in place.
var token = toLower(uniqueString(subscription().id, environmentName, location))
// The task hub name is the app's (host.json); read it so that outputs and docs cannot drift.
var hubName = loadJsonContent('../host.json').extensions.durableTask.hubName
var messaging = loadJsonContent('messaging.json')
var openAiKeySecretName = 'aos-openai-api-key'
var functionAppName = 'func-aos-${token}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(token, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-aos-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-aos-${token}'
    applicationInsightsName: 'appi-aos-${token}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'staos${token}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'service-bus'
  scope: rg
  params: {
    name: 'sb-aos-${token}'
    location: location
    tags: tags
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: 'kv-aos-${token}'
    location: location
    tags: tags
    openAiKeySecretName: openAiKeySecretName
    openAiApiKey: openAiApiKey
  }
}

module roleAssignments 'modules/role-assignments.bicep' = {
  name: 'role-assignments'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

// App settings. Identity-based connections (`<connection>__accountName` / `__fullyQualifiedNamespace`
// with `__credential` and `__clientId`) and Key Vault references only: no keys, no connection strings.
var baseSettings = {
  // Functions host storage and the Durable task hub (Azure Storage provider; host.json names no
  // other connection, so the extension uses AzureWebJobsStorage).
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.outputs.clientId
  // Telemetry, sent as the identity (local auth is disabled on the component).
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
  // Service Bus triggers and output bindings name the connection `ServiceBusConnection`.
  ServiceBusConnection__fullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
  ServiceBusConnection__credential: 'managedidentity'
  ServiceBusConnection__clientId: identity.outputs.clientId
  // Topic and subscription names for `%...%` binding expressions; ./messaging.json names them.
  AOS_BUS_AGENT_EVENTS_TOPIC: messaging.topics.agentEvents.name
  AOS_BUS_AGENT_EVENTS_SUBSCRIPTION: messaging.topics.agentEvents.subscriptions.dispatch.name
  AOS_BUS_MESSAGES_TOPIC: messaging.topics.messages.name
  AOS_BUS_MESSAGES_SUBSCRIPTION: messaging.topics.messages.subscriptions.fanout.name
  // DefaultAzureCredential in app code picks the user-assigned identity by this client id.
  AZURE_CLIENT_ID: identity.outputs.clientId
  AZURE_KEY_VAULT_ENDPOINT: keyVault.outputs.uri
  // The app's own configuration (src/config.ts ConfigSchema).
  // HTTP API auth (src/api/http-guard.ts): on in Azure; tokens from this tenant, keys from Key Vault.
  AOS_AUTH_MODE: authMode
  AOS_AUTH_TENANT_ID: tenant().tenantId
  AOS_AUTH_AUDIENCE: authAudience
  AOS_INFERENCE_PROVIDER: inferenceProvider
  AOS_OPENAI_ENDPOINT: openAiEndpoint
  AOS_OPENAI_AUTH: openAiAuth
  AOS_OPENAI_MODEL: openAiModel
}

// Secrets, as Key Vault references the platform resolves as the app's identity.
var keyVaultSettings = {
  AOS_OPENAI_API_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${openAiKeySecretName}/)'
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-aos-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    nodeVersion: nodeVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    // Only with a key: a reference to a secret that does not exist reaches the app as literal text.
    appSettings: union(baseSettings, empty(openAiApiKey) ? {} : keyVaultSettings)
  }
  // The host must be able to reach its storage the first time it starts.
  dependsOn: [roleAssignments]
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = functionApp.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output AOS_TASK_HUB string = hubName
