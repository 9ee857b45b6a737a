/** Activities of the app (registered on import). */
export { decideActivity } from './agent-decide.js';
export { appendTranscriptActivity } from './agent-transcript.js';
export { mcpCallActivity } from './agent-mcp-call.js';
export { checkPolicyActivity, type CheckPolicyOutput } from './governance-policy.js';
export { requestApprovalActivity, settleApprovalActivity, type ApprovalDeps } from './governance-approval.js';
export { auditActivity, recordDecisionActivity, type AuditAppendOutput } from './governance-audit.js';
