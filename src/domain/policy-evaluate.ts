/**
 * Policy evaluation (pure): the applicable policies' rules for the step's stage are evaluated in
 * order (policy id, then rule order). The most restrictive matching effect wins: deny over
 * require-approval over allow; among equals the first. No matching rule allows. A condition that
 * fails to evaluate or gives a non-bool counts as a matching deny (fail closed).
 */
import { Environment } from '@marcbachmann/cel-js';
import { PolicyInvalidError } from './governance-errors.js';
import { ApprovalSettingsSchema, PolicyEffect, PolicyFactsSchema, PolicyScope, type PolicyDocument, type PolicyFactsInput, type PolicyRule, type PolicyVerdict } from './policy-schema.js';

// One environment for the process (building one is expensive); every fact is a dynamic map.
const env = new Environment({ homogeneousAggregateLiterals: false })
  .registerVariable('stage', 'string')
  .registerVariable('agent', 'map')
  .registerVariable('event', 'map')
  .registerVariable('action', 'map')
  .registerVariable('time', 'string');

type Compiled = (context: Record<string, unknown>) => unknown;
const compiled = new Map<string, Compiled>();
const CACHE_LIMIT = 1000;

function compile(expression: string): Compiled {
  let fn = compiled.get(expression);
  if (!fn) {
    const parsed = env.parse(expression);
    fn = (context) => parsed(context);
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(expression, fn);
  }
  return fn;
}

/** Checks that every rule's condition parses and type-checks as a bool; throws `PolicyInvalidError`. */
export function validatePolicy(policy: PolicyDocument): void {
  for (const rule of policy.rules) {
    let check: { valid: boolean; type?: string; error?: unknown };
    try {
      check = env.check(rule.when) as typeof check;
    } catch (err) {
      throw new PolicyInvalidError(policy.id, rule.id, err instanceof Error ? firstLine(err.message) : String(err));
    }
    if (!check.valid) throw new PolicyInvalidError(policy.id, rule.id, check.error instanceof Error ? firstLine(check.error.message) : 'invalid expression');
    if (check.type !== undefined && check.type !== 'bool' && check.type !== 'dyn') throw new PolicyInvalidError(policy.id, rule.id, `the condition gives ${check.type}, not bool`);
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** The policies that govern an agent: enabled, and global or listed in its context. */
export function applicablePolicies(policies: readonly PolicyDocument[], listed: readonly string[]): PolicyDocument[] {
  const wanted = new Set(listed);
  return policies.filter((p) => p.enabled && (p.scope === PolicyScope.global || wanted.has(p.id))).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

interface Hit {
  policy: PolicyDocument;
  rule: PolicyRule;
  effect: PolicyEffect;
  reason: string;
}

function matches(rule: PolicyRule, context: Record<string, unknown>): { matched: boolean; error?: string } {
  try {
    const value = compile(rule.when)(context);
    if (typeof value !== 'boolean') return { matched: true, error: `condition gave ${typeof value}, not bool` };
    return { matched: value };
  } catch (err) {
    return { matched: true, error: err instanceof Error ? firstLine(err.message) : String(err) };
  }
}

const RANK: Record<PolicyEffect, number> = { [PolicyEffect.allow]: 0, [PolicyEffect.requireApproval]: 1, [PolicyEffect.deny]: 2 };

/** Evaluates the applicable policies for one step. */
export function evaluatePolicies(policies: readonly PolicyDocument[], factsInput: PolicyFactsInput): PolicyVerdict {
  const facts = PolicyFactsSchema.parse(factsInput);
  // `event.data` always exists (null when absent), so `has(event.data.x)` works on every event.
  const context: Record<string, unknown> = { ...facts, event: { data: null, ...facts.event } };
  const hits: Hit[] = [];
  for (const policy of applicablePolicies(policies, facts.agent.policies)) {
    for (const rule of policy.rules) {
      if (!rule.stages.includes(facts.stage)) continue;
      const m = matches(rule, context);
      if (!m.matched) continue;
      // A broken condition must not open a door: it denies, saying why.
      hits.push(m.error ? { policy, rule, effect: PolicyEffect.deny, reason: `condition failed to evaluate (${m.error}); ${rule.reason}` } : { policy, rule, effect: rule.effect, reason: rule.reason });
    }
  }
  const matched = hits.map((h) => `${h.policy.id}/${h.rule.id}`);
  let winner: Hit | undefined;
  for (const hit of hits) if (!winner || RANK[hit.effect] > RANK[winner.effect]) winner = hit;
  if (!winner || winner.effect === PolicyEffect.allow) return { type: PolicyEffect.allow, matched };
  const ref = { policyId: winner.policy.id, ruleId: winner.rule.id, reason: winner.reason, matched };
  if (winner.effect === PolicyEffect.deny) return { type: PolicyEffect.deny, ...ref };
  const approval = ApprovalSettingsSchema.parse(winner.rule.approval ?? {});
  return { type: PolicyEffect.requireApproval, ...ref, timeoutSeconds: approval.timeoutSeconds, onTimeout: approval.onTimeout };
}
