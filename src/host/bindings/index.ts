/** Azure Storage blob and table bindings, and the `{...}` binding expressions they resolve per invocation. */
export { storageBindingsService, BLOB_BINDING, TABLE_BINDING } from './storage-bindings-service.js';
export { BindingData, BindingGuid, BindingInvocationError, resolveTemplate, parseTemplate } from './binding-expressions.js';
export { bindingDataFor } from './binding-data.js';
