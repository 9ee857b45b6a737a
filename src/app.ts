/**
 * The AOS Functions app: the entry point named by package.json `main`. It registers every
 * trigger of AOS through the public `@azure/functions` and `durable-functions` APIs, so it runs
 * unchanged on the local host and on Azure Functions.
 */
import './api/http-guard.js';
import '../activities/activity-telemetry.js';
import './api/health.js';
import '../entities/agent-entity.js';
import '../orchestrators/agent-loop.js';
import '../activities/agent-decide.js';
import '../activities/agent-transcript.js';
import './api/agents-register.js';
import './api/agents-read.js';
import './api/agents-events.js';
import './api/agents-goals.js';
import './api/agents-terminate.js';
import '../orchestrators/agent-operation.js';
import '../activities/agent-mcp-call.js';
import './mcp/context-route.js';
import '../activities/governance-policy.js';
import '../activities/governance-approval.js';
import '../activities/governance-audit.js';
import './api/audit-read.js';
import './api/policies.js';
import './api/approvals.js';
import './api/risks.js';
import './api/decisions.js';
import '../orchestrators/topic-publish.js';
import '../orchestrators/workflow-sequential.js';
import '../orchestrators/workflow-parallel.js';
import '../orchestrators/workflow-deliberation.js';
import '../activities/topic-publish.js';
import '../activities/workflow-contribute.js';
import './api/agents-messages.js';
import './api/topics.js';
import './api/orchestrations.js';
import './api/bus-inbound.js';
