// Key Vault in RBAC mode (no access policies) for the secrets that remain, such as a model endpoint
// key. The app never reads a key from its settings directly: settings hold Key Vault references,
// which the platform resolves as the app's identity (Key Vault Secrets User).

param name string
param location string
param tags object

@description('Name of the secret that holds the OpenAI-compatible endpoint key.')
param openAiKeySecretName string

@secure()
@description('The endpoint key to store; empty creates no secret (Entra ID auth or the lexical provider).')
param openAiApiKey string = ''

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

// Written through the control plane (ARM), so the deploying user needs no data-plane role.
resource openAiKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(openAiApiKey)) {
  parent: vault
  name: openAiKeySecretName
  properties: {
    value: openAiApiKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
