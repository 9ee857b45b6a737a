// Every role the app's managed identity holds, each on the one resource that needs it. Nothing is
// granted at resource-group or subscription scope. Role definition ids are the built-in roles' fixed
// GUIDs (the same in every tenant); the test checks each GUID against the name in its comment.

@description('Principal (object) id of the Function App\'s user-assigned identity.')
param principalId string
param storageAccountName string
param serviceBusNamespaceName string
param keyVaultName string
param applicationInsightsName string

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2021-11-01' existing = {
  name: serviceBusNamespaceName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// AzureWebJobsStorage as an identity: the Functions host (blob leases and secrets, so Owner, as the
// Functions docs require for host storage), the Flex deployment package container, the Durable task
// hub (tables, queues, blobs) and AOS's own tables and transcript blobs.
resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]: {
  name: guid(storage.id, principalId, role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

// The external bus: the app publishes to the topics and its triggers receive from the subscriptions.
resource serviceBusRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [
  roles.serviceBusDataSender
  roles.serviceBusDataReceiver
]: {
  name: guid(serviceBus.id, principalId, role)
  scope: serviceBus
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

// Key Vault references in app settings are resolved as this identity (keyVaultReferenceIdentity).
resource keyVaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [
  roles.keyVaultSecretsUser
]: {
  name: guid(vault.id, principalId, role)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

// Entra ID-authenticated telemetry ingestion (local auth is disabled on the component).
resource monitoringRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [
  roles.monitoringMetricsPublisher
]: {
  name: guid(appInsights.id, principalId, role)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]
