/**
 * The AOS Functions app: the entry point named by package.json `main`. It registers every
 * trigger of AOS through the public `@azure/functions` API, so it runs unchanged on the local
 * host and on Azure Functions.
 */
import './api/health.js';
