/** Orchestrations of the app (registered on import). */
export { agentLoop, type AgentLoopResult, type AgentLoopStatus } from './agent-loop.js';
export { AGENT_ACTIVITY_RETRY, callAgent, callTypedActivity } from './durable-call.js';
export { agentOperation } from './agent-operation.js';
export { toolStep } from './agent-tool-step.js';
