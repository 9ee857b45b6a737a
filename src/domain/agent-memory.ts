/** Bounded agent memory: a recent list plus an extractive rolling summary; the full transcript is in Blob storage. */
import { AGENT_LIMITS, type Memory, type MemoryEntry } from './agent-context.js';

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/** The one-line digest of an entry that leaves the recent list. */
function digest(entry: MemoryEntry): string {
  return `[${entry.at.slice(0, 16)} ${entry.kind}] ${clip(entry.text, 160)}`;
}

/**
 * Folds digests into the summary and trims it from the front at a digest boundary. Extractive, not
 * generative: the summary is what happened, newest last, so it needs no model to stay truthful.
 */
export function foldSummary(summary: string, digests: readonly string[], maxChars: number = AGENT_LIMITS.summaryChars): string {
  let next = [summary, ...digests].filter((s) => s.length > 0).join('\n');
  while (next.length > maxChars) {
    const cut = next.indexOf('\n');
    next = cut < 0 ? next.slice(next.length - maxChars) : next.slice(cut + 1);
  }
  return next;
}

/** Adds one entry; entries beyond the recent bound move into the summary. */
export function remember(memory: Memory, entry: MemoryEntry, limits: { recent?: number } = {}): Memory {
  const bound = limits.recent ?? AGENT_LIMITS.recentMemory;
  const clipped: MemoryEntry = { ...entry, text: clip(entry.text, AGENT_LIMITS.memoryText) };
  const all = [...memory.recent, clipped];
  const evicted = all.length > bound ? all.slice(0, all.length - bound) : [];
  return {
    ...memory,
    recent: all.slice(-bound),
    summary: evicted.length > 0 ? foldSummary(memory.summary, evicted.map(digest)) : memory.summary,
    total: memory.total + 1,
  };
}
