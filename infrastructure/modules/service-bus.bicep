// The Service Bus namespace behind AOS's external bus (Storage Queues play this part locally). The
// topic and subscription names come from ../messaging.json, the one place that names them. Local
// (SAS) authentication is disabled: the app sends and receives as its managed identity.

param name string
param location string
param tags object

var messaging = loadJsonContent('../messaging.json')
var topics = items(messaging.topics)
// One row per (topic, subscription): Bicep cannot nest resource loops.
var subscriptions = flatten(map(topics, t => map(items(t.value.subscriptions), s => {
  topic: t.value.name
  name: s.value.name
})))

resource namespace 'Microsoft.ServiceBus/namespaces@2021-11-01' = {
  name: name
  location: location
  tags: tags
  // Standard is the smallest tier with topics (Basic has queues only).
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource topicResources 'Microsoft.ServiceBus/namespaces/topics@2021-11-01' = [for t in topics: {
  parent: namespace
  name: t.value.name
  properties: {
    // Senders set the event envelope id as the message id; a re-send within the window is dropped.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: messaging.delivery.duplicateDetectionHistoryTimeWindow
    defaultMessageTimeToLive: messaging.delivery.defaultMessageTimeToLive
  }
}]

resource subscriptionResources 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2021-11-01' = [for s in subscriptions: {
  name: '${namespace.name}/${s.topic}/${s.name}'
  properties: {
    maxDeliveryCount: messaging.delivery.maxDeliveryCount
    lockDuration: messaging.delivery.lockDuration
    deadLetteringOnMessageExpiration: true
  }
  dependsOn: [topicResources]
}]

output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
