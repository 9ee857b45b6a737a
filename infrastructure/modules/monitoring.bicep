// Application Insights on a Log Analytics workspace. Local (instrumentation key) authentication is
// off: the app sends telemetry as its managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING),
// which needs the Monitoring Metrics Publisher role on this component.

param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object

@description('Days the workspace keeps logs and traces.')
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

output applicationInsightsName string = appInsights.name
// Not a secret: it names the ingestion endpoint; with local auth disabled it cannot send data alone.
output connectionString string = appInsights.properties.ConnectionString
output workspaceName string = workspace.name
