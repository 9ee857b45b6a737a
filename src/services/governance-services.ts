/**
 * The bootstrap of the governance services (rule 15): built once from the configuration, lazily,
 * so loading the app never touches storage. Tests build their own with `buildGovernanceServices`.
 */
import path from 'node:path';
import { getConfig, type Config } from '../config.js';
import { TableApprovalStore, type ApprovalStore } from './approval-store.js';
import { TableAuditLedger, type AuditLedger } from './audit-ledger.js';
import { TableDecisionStore, type DecisionStore } from './decision-store.js';
import { GovernanceTables } from './governance-tables.js';
import { TablePolicyStore, type PolicyStore } from './policy-store.js';
import { TableRiskRegistry, type RiskRegistry } from './risk-registry.js';
import { tableClient } from './storage-clients.js';

export interface GovernanceServices {
  ledger: AuditLedger;
  policies: PolicyStore;
  approvals: ApprovalStore;
  risks: RiskRegistry;
  decisions: DecisionStore;
}

export function buildGovernanceServices(config: Pick<Config, 'storageConnection' | 'governance'>): GovernanceServices {
  const table = (name: string) => tableClient(config.storageConnection, name);
  return {
    ledger: new TableAuditLedger(table(GovernanceTables.audit)),
    // Relative to the working folder, which is the app folder both locally and in Azure.
    policies: new TablePolicyStore(table(GovernanceTables.policies), { dir: path.resolve(config.governance.policyDir), cacheSeconds: config.governance.policyCacheSeconds }),
    approvals: new TableApprovalStore(table(GovernanceTables.approvals)),
    risks: new TableRiskRegistry(table(GovernanceTables.risks)),
    decisions: new TableDecisionStore(table(GovernanceTables.decisions)),
  };
}

let services: GovernanceServices | undefined;

export function getGovernanceServices(): GovernanceServices {
  services ??= buildGovernanceServices(getConfig());
  return services;
}
