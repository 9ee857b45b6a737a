/** The AOS HTTP API (registered on import); errors map to HTTP only in `error-response.ts`. */
export { health } from './health.js';
export { registerAgent, type RegisterDeps } from './agents-register.js';
export { listAgents, readAgent } from './agents-read.js';
export { acceptEvent, postEvent, type EventAccepted, type EventDeps } from './agents-events.js';
export { loopStatus, readAgentState, readView } from './agent-gateway.js';
export { addGoal, updateGoal } from './agents-goals.js';
export { terminateAgent } from './agents-terminate.js';
export { errorResponse, STATUS_BY_KIND } from './error-response.js';
export { exportAudit, readAudit, verifyAudit } from './audit-read.js';
export { listPolicies, putPolicy, readPolicy, type PolicyDeps } from './policies.js';
export { listApprovals, resolveApprovalRoute, type ApprovalRouteDeps } from './approvals.js';
export { createRiskRoute, listRisks, readRisk, updateRiskRoute, type RiskDeps } from './risks.js';
export { createDecision, listDecisions, type DecisionDeps } from './decisions.js';
