/** Pure agent domain: schemas, the lifecycle state machine, the entity reducer, errors and descriptors. */
export { AosError, ErrorKind, serializeError, type SerializedError } from './aos-error.js';
export {
  AgentConflictError,
  AgentNotFoundError,
  AgentTerminatedError,
  BatchMismatchError,
  EventTooLargeError,
  GoalConflictError,
  GoalNotFoundError,
  LifecycleTransitionError,
  MailboxFullError,
  RemoteOperationError,
  ValidationError,
} from './errors.js';
export { AGENT_ENTITY_NAME, AGENT_LOOP_NAME, AgentIdSchema, agentEntityInstanceId, agentIdOfLoopInstance, agentLoopInstanceId, type AgentId } from './agent-id.js';
export { EventEnvelopeInputSchema, EventEnvelopeSchema, completeEnvelope, envelopeBytes, type EventEnvelope, type EventEnvelopeInput } from './event-envelope.js';
export {
  AGENT_LIMITS,
  AgentContextSchema,
  AgentDefinitionSchema,
  AgentSettingsSchema,
  AgentStateSchema,
  DecisionSchema,
  GoalInputSchema,
  GoalSchema,
  McpServerSchema,
  PurposeSchema,
  type AgentContext,
  type AgentDefinition,
  type AgentDefinitionInput,
  type AgentState,
  type Decision,
  type Goal,
  type GoalInput,
  type McpServer,
  type Purpose,
} from './agent-context.js';
export { LIFECYCLE_TRANSITIONS, LifecycleState, canTransition, transitionLifecycle } from './agent-lifecycle.js';
export { AgentOps, UpdateContextInputSchema, UpdateGoalInputSchema, type AgentOpName, type ReadResult, type TakeBatchResult } from './agent-operations.js';
export { applyOperation, type AgentOperation, type ReducerEnv, type ReducerOutput } from './agent-reducer.js';
export { createAgentState, TRANSCRIPT_CONTAINER } from './agent-state.js';
export { canonicalJson } from './canonical-json.js';
export { defineOperation, OperationOutcomeSchema, type OperationDescriptor, type OperationError, type OperationOutcome } from './operation-descriptor.js';
export {
  AgentActivities,
  AgentBriefSchema,
  AgentLoopEvents,
  AgentLoopInputSchema,
  DecideInputSchema,
  DecideOutputSchema,
  type AgentBrief,
  type AgentLoopInput,
  type DecideInput,
  type DecideOutput,
} from './agent-activities.js';
export { chooseOption, evaluateAlignment, terms, type AlignmentResult, type ChoiceResult } from './lexical-alignment.js';
export { clip, foldSummary, remember } from './agent-memory.js';
export { AgentStateInvalidError, loadAgentState } from './agent-state-load.js';
export { agentBrief } from './agent-reducer.js';
export { TopicNameSchema, TopicPublishInputSchema, TopicPublishResultSchema, DeliveryOutcome, DeliveryResultSchema, TOPIC_PUBLISH_NAME, fanOutTargets, indexableTopics, subscriptionDiff, topicPublishInstanceId, type DeliveryResult, type TopicName, type TopicPublishInput, type TopicPublishResult } from './topic.js';
export { AgentMessageInputSchema, MessageDirection, MessageLogEntrySchema, agentSource, messageEnvelope, type AgentMessageInput, type MessageLogEntry } from './agent-message.js';
export { workflowDecisionId, type RecordWorkflowOutcomeInput } from './agent-collaboration-ops.js';
export { MessagingActivities } from './messaging-activities.js';
export { PUBLISH_ACTION_PREFIX, publicationOf } from './agent-effects.js';
export { UnknownAgentsError, WorkflowConflictError, WorkflowFinishedError, WorkflowNotFinishedError, WorkflowNotFoundError } from './messaging-errors.js';
export { MIN_ANSWER_WEIGHT, StopReason, judgeRound, leadingChoice, weightedAgreement, type MemberAnswer, type RoundVerdict } from './deliberation-rule.js';
export {
  ContributionSchema,
  DeliberationSettingsSchema,
  StartWorkflowBodySchema,
  WORKFLOW_ORCHESTRATIONS,
  WorkflowIdSchema,
  WorkflowInputSchema,
  WorkflowKind,
  WorkflowOutcomeSchema,
  WorkflowStatus,
  isFinalStatus,
  workflowKindOf,
  workflowStatusOf,
  workflowStepEvent,
  type Contribution,
  type DeliberationSettings,
  type StartWorkflowBody,
  type WorkflowInput,
  type WorkflowOutcome,
  type WorkflowProgress,
} from './workflow.js';
export {
  ApprovalNotFoundError,
  ApprovalResolvedError,
  AuditContentionError,
  PolicyInvalidError,
  PolicyNotFoundError,
  RiskConflictError,
  RiskNotFoundError,
  RiskTransitionError,
} from './governance-errors.js';
export {
  AUDIT_HASH_VERSION,
  AuditAction,
  AuditChainIdSchema,
  AuditEntryInputSchema,
  AuditRecordSchema,
  GENESIS_HASH,
  agentChainId,
  auditHash,
  auditRecordId,
  payloadDigest,
  sealAuditRecord,
  sha256Hex,
  type AuditChainId,
  type AuditEntryInput,
  type AuditRecord,
} from './audit-record.js';
export { ChainVerifier, verifyChain, type ChainVerification } from './audit-verify.js';
export {
  ApprovalSettingsSchema,
  OnTimeout,
  PolicyDocumentSchema,
  PolicyEffect,
  PolicyFactsSchema,
  PolicyIdSchema,
  PolicyScope,
  PolicyStage,
  PolicyStageSchema,
  PolicyVerdictSchema,
  type PolicyDocument,
  type PolicyDocumentInput,
  type PolicyFacts,
  type PolicyFactsInput,
  type PolicyRule,
  type PolicyVerdict,
} from './policy-schema.js';
export { applicablePolicies, evaluatePolicies, validatePolicy } from './policy-evaluate.js';
export {
  RISK_THRESHOLDS,
  RISK_TRANSITIONS,
  RiskCreateSchema,
  RiskIdSchema,
  RiskLevel,
  RiskSchema,
  RiskStatus,
  RiskUpdateSchema,
  createRisk,
  riskLevel,
  riskScore,
  transitionRisk,
  updateRisk,
  type Risk,
  type RiskCreate,
  type RiskUpdate,
} from './risk.js';
export { ApprovalAnswerSchema, ApprovalIdSchema, ApprovalSchema, ApprovalStatus, ApprovalStatusSchema, approvalEventName, resolveApproval, type Approval, type ApprovalAnswer } from './approval.js';
export { DecisionCreateSchema, DecisionRecordSchema, type DecisionCreate, type DecisionRecord } from './decision-record.js';
export { GovernanceActivities } from './governance-activities.js';
export {
  AgentToolActivities,
  McpCallInputSchema,
  McpCallOutputSchema,
  McpToolRequestSchema,
  serversForEvent,
  tagsMatch,
  toolCallMemoryText,
  toolRequestFor,
  toolRequestOf,
  type McpCallInput,
  type McpCallOutput,
  type McpToolRequest,
} from './agent-tool-call.js';
export { AGENT_OPERATION_NAME, AgentOperationInputSchema, agentOperationInstanceId, type AgentOperationInput } from './agent-operation-call.js';
