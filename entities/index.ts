/** Durable entities of the app (registered on import). */
export { handleAgentOperation } from './agent-entity.js';
