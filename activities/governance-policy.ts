/** Activity `governance-check-policy`: evaluates the policies for one step and appends the evaluation to the agent's audit chain. */
import * as df from 'durable-functions';
import { z } from 'zod';
import { AuditAction, GovernanceActivities, ValidationError, agentChainId, auditRecordId, evaluatePolicies } from '../src/domain/index.js';
import { getGovernanceServices, type AuditLedger, type PolicyStore } from '../src/services/index.js';

export type CheckPolicyOutput = z.output<typeof GovernanceActivities.checkPolicy.output>;

export async function checkPolicyActivity(input: unknown, deps: { policies: PolicyStore; ledger: AuditLedger }): Promise<CheckPolicyOutput> {
  const parsed = GovernanceActivities.checkPolicy.input.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod('governance-check-policy input', parsed.error);
  const { key, stage, agent, event, action, at } = parsed.data;
  const verdict = evaluatePolicies(await deps.policies.documents(), { stage, agent, event: event ?? {}, action: action ?? {}, time: at });
  const record = await deps.ledger.append(agentChainId(agent.id), {
    actor: 'system:policy',
    action: AuditAction.policyEvaluated,
    subject: event ? `${stage} for event ${event.id} (${event.type})` : stage,
    payload: { stage, event, action },
    decision: verdict.type,
    details: verdict.type === 'allow' ? { stage, matched: verdict.matched } : { stage, policyId: verdict.policyId, ruleId: verdict.ruleId, reason: verdict.reason, matched: verdict.matched },
    time: at,
    key: `${key}:policy`,
  });
  return { verdict, auditRecordId: auditRecordId(record) };
}

df.app.activity(GovernanceActivities.checkPolicy.name, { handler: (input: unknown) => checkPolicyActivity(input, getGovernanceServices()) });
