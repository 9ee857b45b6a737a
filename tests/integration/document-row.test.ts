// Proves the ETag-checked record updates of the governance stores on Azurite: concurrent changes to
// one risk all land (a writer that loses the race reads again instead of overwriting), and only one
// of two concurrent resolutions of one approval wins while the other is refused.
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { describe, expect, inject, it } from 'vitest';
import { ApprovalResolvedError, RiskCreateSchema, RiskNotFoundError, RiskUpdateSchema, type Approval } from '../../src/domain/index.js';
import { TableApprovalStore, TableRiskRegistry } from '../../src/services/index.js';

const table = (name: string): TableClient => TableClient.fromConnectionString(inject('storageConnectionString'), name, { allowInsecureConnection: true });
const NOW = '2025-06-01T00:00:00.000Z';

describe('governance records changed with their ETag', () => {
  it('applies every one of concurrent updates to one risk', async () => {
    const risks = new TableRiskRegistry(table(`Risks${randomUUID().slice(0, 8)}`));
    await risks.create('r-1', RiskCreateSchema.parse({ title: 'Model drift', likelihood: 0.5, impact: 0.5 }), NOW);
    const links = Array.from({ length: 6 }, (_, i) => `ceo/d${i}`);
    await Promise.all(links.map((d) => risks.update('r-1', RiskUpdateSchema.parse({ linkDecisions: [d], by: d }), NOW)));
    expect([...(await risks.get('r-1')).decisionIds].sort()).toEqual(links);
  });

  it('answers RiskNotFoundError for an update of a risk that does not exist', async () => {
    const risks = new TableRiskRegistry(table(`Risks${randomUUID().slice(0, 8)}`));
    await expect(risks.update('nope', RiskUpdateSchema.parse({ title: 'x' }), NOW)).rejects.toBeInstanceOf(RiskNotFoundError);
  });

  it('lets exactly one of two concurrent resolutions of an approval win', async () => {
    const approvals = new TableApprovalStore(table(`Approvals${randomUUID().slice(0, 8)}`));
    const approval: Approval = {
      id: 'approval-1',
      agentId: 'agent-1',
      instanceId: 'agent-agent-1',
      eventId: 'e-1',
      stage: 'tool-call',
      policyId: 'p',
      ruleId: 'r',
      reason: 'spend',
      level: 1,
      timeoutSeconds: 60,
      onTimeout: 'deny',
      status: 'pending',
      createdAt: NOW,
      expiresAt: NOW,
    };
    await approvals.create(approval);
    const results = await Promise.allSettled([approvals.resolve('approval-1', 'approved', 'alice', NOW), approvals.resolve('approval-1', 'denied', 'bob', NOW)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : undefined).toBeInstanceOf(ApprovalResolvedError);
    const won = results.find((r) => r.status === 'fulfilled');
    expect((await approvals.get('approval-1')).status).toBe(won?.status === 'fulfilled' ? won.value.status : 'missing');
  });
});
