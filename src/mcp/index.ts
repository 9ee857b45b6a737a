/** ContextMCPServer (each agent's context over MCP) and the MCP client agents use for external tools. */
export { DurableAgentAccess, WriteUnconfirmedError, type AgentAccess, type DurableAgentAccessDeps, type LoopView } from './agent-access.js';
export { createContextServer, serveStateless, CONTEXT_SERVER_VERSION, type ContextServerDeps } from './context-server.js';
export { agentResourceBase, type ContextResourceDeps } from './context-resources.js';
export { McpContextPatchSchema, type ContextToolDeps } from './context-tools.js';
export { goalsPromptText, purposePromptText } from './context-prompts.js';
export { fromWebResponse, jsonRpcError, McpRpcErrorCode, requestIdOf, toWebRequest, type BufferedHttpRequest } from './mcp-http-bridge.js';
export { DEFAULT_MCP_CALL_POLICY, McpServerPolicies, mcpServerPolicy, policyFailureCode, type McpCallPolicyConfig, type McpServerPolicy } from './mcp-breaker.js';
export { callOfferedTool, toolResultText, type ToolClientDeps } from './mcp-tool-client.js';
