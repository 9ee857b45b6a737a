/**
 * Lexical purpose alignment: deterministic text similarity between an action and an agent's purpose
 * (statement, scope, success criteria). It is word overlap, not understanding, and says so: results
 * carry `method: 'lexical'` and the matching terms as reasons. It works offline and is the default
 * inference provider's whole brain.
 */
import type { Purpose } from './agent-context.js';

const STOPWORDS = new Set(
  ('a an and are as at be been but by can do does for from had has have he her his how i if in into is it its me more most my no not of on or our ' +
    'out over so some such than that the their them then there these they this those to too under up us very was we were what when where which ' +
    'while who whom why will with would you your all any each few other own same both only also just should could may might must shall about ' +
    'after again against before being below between during further once here off above until through yourself')
    .split(' '),
);

/** Strips common English suffixes so that `growing`, `grows` and `growth`-less forms meet. Deliberately light. */
export function stem(word: string): string {
  const rules: Array<[RegExp, string]> = [
    [/ies$/, 'y'],
    [/ational$/, 'ate'],
    [/ization$/, 'ize'],
    [/(ing|ed|ly|ment|ments|ness)$/, ''],
    [/(sses)$/, 'ss'],
    [/([^s])s$/, '$1'],
  ];
  for (const [pattern, replacement] of rules) {
    if (pattern.test(word)) {
      const stemmed = word.replace(pattern, replacement);
      // `planning` -> `plann` -> `plan`, so that it meets `plan`; `ll`, `ss` and `zz` stay (`fall`, `pass`).
      if (stemmed.length >= 3) return /([b-df-hj-km-np-rtv-y])\1$/.test(stemmed) ? stemmed.slice(0, -1) : stemmed;
    }
  }
  return word;
}

/** Lower-cased, stop-word-free, stemmed terms of a text (letters and digits of any script). */
export function terms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => w.length > 1 && !STOPWORDS.has(w)).map(stem);
}

/** Cosine similarity of two term sets, and the shared terms (sorted). */
export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): { score: number; shared: string[] } {
  if (a.size === 0 || b.size === 0) return { score: 0, shared: [] };
  const shared = [...a].filter((t) => b.has(t)).sort();
  return { score: shared.length / Math.sqrt(a.size * b.size), shared };
}

export interface AlignmentResult {
  method: 'lexical';
  /** 0..1: weighted similarity to statement (0.5), scope (0.2) and the best success criterion (0.3). */
  score: number;
  /** Human-readable reasons naming the matching terms per purpose part. */
  reasons: string[];
  /** All matching terms, sorted. */
  matched: string[];
}

const WEIGHTS = { statement: 0.5, scope: 0.2, criteria: 0.3 } as const;

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** How well `action` aligns with `purpose`. Empty purpose parts do not count (their weight is shared out). */
export function evaluateAlignment(action: string, purpose: Purpose): AlignmentResult {
  const actionTerms = new Set(terms(action));
  const parts: Array<{ label: string; weight: number; score: number; shared: string[] }> = [];
  const statement = new Set(terms(purpose.statement));
  if (statement.size > 0) parts.push({ label: 'purpose statement', weight: WEIGHTS.statement, ...overlap(actionTerms, statement) });
  const scope = new Set(terms(purpose.scope));
  if (scope.size > 0) parts.push({ label: 'scope', weight: WEIGHTS.scope, ...overlap(actionTerms, scope) });
  const criteria = purpose.successCriteria
    .map((c) => ({ label: `success criterion "${c}"`, ...overlap(actionTerms, new Set(terms(c))) }))
    .filter((c) => c.score > 0)
    .sort((x, y) => y.score - x.score);
  if (purpose.successCriteria.length > 0) parts.push({ weight: WEIGHTS.criteria, ...(criteria[0] ?? { label: 'success criteria', score: 0, shared: [] }) });
  const totalWeight = parts.reduce((sum, p) => sum + p.weight, 0);
  const score = totalWeight === 0 ? 0 : parts.reduce((sum, p) => sum + p.weight * p.score, 0) / totalWeight;
  const reasons = parts.filter((p) => p.shared.length > 0).map((p) => `matches ${p.label} on: ${p.shared.join(', ')}`);
  const matched = [...new Set(parts.flatMap((p) => p.shared))].sort();
  if (reasons.length === 0) reasons.push('no terms in common with the purpose, scope or success criteria');
  return { method: 'lexical', score: round(Math.min(1, score)), reasons, matched };
}

export interface ChoiceResult {
  method: 'lexical';
  /** Index of the chosen option (the first of equal best scores). */
  index: number;
  choice: string;
  scores: number[];
  alignment: AlignmentResult;
}

/** Picks the option that aligns best with the purpose. Ties go to the earlier option, so the result is stable. */
export function chooseOption(options: readonly string[], purpose: Purpose): ChoiceResult {
  if (options.length === 0) throw new RangeError('chooseOption needs at least one option');
  const evaluated = options.map((o) => evaluateAlignment(o, purpose));
  let best = 0;
  evaluated.forEach((e, i) => {
    if (e.score > (evaluated[best]?.score ?? 0)) best = i;
  });
  const alignment = evaluated[best] as AlignmentResult;
  return { method: 'lexical', index: best, choice: options[best] as string, scores: evaluated.map((e) => e.score), alignment };
}
