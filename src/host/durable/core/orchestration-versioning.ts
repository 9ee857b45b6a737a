/**
 * Orchestration versioning (host.json `defaultVersion`, `versionMatchStrategy`,
 * `versionFailureStrategy`): whether this worker may run an instance of a given version, and the
 * failure it records when it may not and the strategy is `Fail`. Pure; the engine asks before it
 * invokes the orchestrator.
 * @see https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-orchestration-versioning
 * @see https://github.com/Azure/durabletask/blob/main/src/DurableTask.Core/Settings/VersioningSettings.cs
 */
import type { HistoryEvent } from './history-event.js';
import { lastEpisodeStart, type ExecutionStartedEvent } from './orchestration-history.js';
import { finish, type EpisodeDecision } from './orchestration-turn.js';

export const VersionMatchStrategy = {
  /** Every instance runs, whatever its version. */
  None: 'None',
  /** Only instances whose version equals `defaultVersion`. */
  Strict: 'Strict',
  /** Instances whose version is `defaultVersion` or older (the extension's default). */
  CurrentOrOlder: 'CurrentOrOlder',
} as const;
export type VersionMatchStrategyName = (typeof VersionMatchStrategy)[keyof typeof VersionMatchStrategy];

export const VersionFailureStrategy = {
  /** Leave the instance as it is; a worker of a matching version runs it later (the extension's default). */
  Reject: 'Reject',
  /** Fail the instance. */
  Fail: 'Fail',
} as const;
export type VersionFailureStrategyName = (typeof VersionFailureStrategy)[keyof typeof VersionFailureStrategy];

export interface VersioningSettings {
  /** host.json `defaultVersion`; without it no instance is checked. */
  defaultVersion: string | undefined;
  /** @default 'CurrentOrOlder' */
  versionMatchStrategy: VersionMatchStrategyName;
  /** @default 'Reject' */
  versionFailureStrategy: VersionFailureStrategyName;
}

/** DTFx's failure for a version mismatch under `Fail` (FailureDetails type and message, non-retriable). */
export const VERSION_MISMATCH_ERROR_TYPE = 'VersionMismatch';
export const VERSION_MISMATCH_MESSAGE = 'Orchestration version did not comply with Worker Versioning';

/**
 * Compare two version strings as DTFx's `VersioningSettings.CompareVersions`: empty (or blank)
 * versions are equal and older than any other; two `System.Version` strings compare part by part
 * (a missing part is older than 0: "1.0" < "1.0.0"); anything else compares as ordinal,
 * case-insensitive text ("10" < "9"). Negative, zero or positive as `a` is older, equal or newer.
 */
export function compareVersions(a: string | undefined, b: string | undefined): number {
  const blankA = isBlank(a);
  const blankB = isBlank(b);
  if (blankA && blankB) return 0;
  if (blankA) return -1;
  if (blankB) return 1;
  const va = parseDotNetVersion(a as string);
  const vb = parseDotNetVersion(b as string);
  if (va && vb) {
    for (let i = 0; i < 4; i++) {
      const d = (va[i] ?? -1) - (vb[i] ?? -1);
      if (d !== 0) return Math.sign(d);
    }
    return 0;
  }
  return ordinalIgnoreCase(a as string, b as string);
}

/** What the worker does with an instance of `instanceVersion`. */
export type VersionVerdict = 'run' | 'reject' | 'fail';

export function versionVerdict(instanceVersion: string, settings: VersioningSettings): VersionVerdict {
  // The extension builds its VersioningSettings from defaultVersion: without one, nothing is checked.
  if (isBlank(settings.defaultVersion)) return 'run';
  let mismatch: boolean;
  switch (settings.versionMatchStrategy) {
    case VersionMatchStrategy.None:
      mismatch = false;
      break;
    case VersionMatchStrategy.Strict:
      mismatch = compareVersions(instanceVersion, settings.defaultVersion) !== 0;
      break;
    case VersionMatchStrategy.CurrentOrOlder:
      mismatch = compareVersions(instanceVersion, settings.defaultVersion) > 0;
      break;
  }
  if (!mismatch) return 'run';
  return settings.versionFailureStrategy === VersionFailureStrategy.Fail ? 'fail' : 'reject';
}

/** The outcome of {@link checkVersion}: run the orchestrator, leave the work pending, or end the execution with `decision`. */
export type VersionCheck = { verdict: 'run' } | { verdict: 'reject'; version: string } | { verdict: 'fail'; version: string; decision: EpisodeDecision };

/**
 * Check the version of the execution in `history` (committed events plus this episode's) before
 * the orchestrator runs, as DTFx's orchestration dispatcher does for every work item.
 */
export function checkVersion(history: readonly HistoryEvent[], settings: VersioningSettings, now: Date): VersionCheck {
  const started = history.find((e): e is ExecutionStartedEvent => e.type === 'ExecutionStarted');
  if (!started) return { verdict: 'run' };
  const verdict = versionVerdict(started.version, settings);
  if (verdict === 'run') return { verdict };
  if (verdict === 'reject') return { verdict, version: started.version };
  // The episode's own time, as decideEpisode stamps its events.
  const episodeStart = history[lastEpisodeStart(history)];
  const timestamp = episodeStart?.timestamp ?? now.toISOString();
  return { verdict, version: started.version, decision: versionMismatchDecision(history, started, timestamp) };
}

/** The end of an execution failed for its version: ExecutionCompleted(Failed) with DTFx's FailureDetails, the parent's notice, lock releases. */
export function versionMismatchDecision(history: readonly HistoryEvent[], started: ExecutionStartedEvent, timestamp: string): EpisodeDecision {
  const decision = finish(history, started, timestamp, { status: 'Failed', failure: { reason: VERSION_MISMATCH_MESSAGE, details: '' } });
  const appended = decision.appended.map((e): HistoryEvent =>
    e.type === 'ExecutionCompleted' ? { ...e, failureDetails: { errorType: VERSION_MISMATCH_ERROR_TYPE, errorMessage: VERSION_MISMATCH_MESSAGE, isNonRetriable: true } } : e,
  );
  return { ...decision, appended };
}

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/**
 * .NET `Version.TryParse`: 2 to 4 dot-separated parts, each a non-negative Int32 (surrounding
 * white space and a leading `+` allowed, as `int.Parse` with NumberStyles.Integer).
 */
function parseDotNetVersion(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length < 2 || parts.length > 4) return undefined;
  const numbers: number[] = [];
  for (const part of parts) {
    const m = /^\s*\+?(\d+)\s*$/.exec(part);
    if (!m) return undefined;
    const n = Number(m[1]);
    if (n > 2_147_483_647) return undefined;
    numbers.push(n);
  }
  return numbers;
}

/** `string.Compare(a, b, StringComparison.OrdinalIgnoreCase)`: upper-cased UTF-16 code units. */
function ordinalIgnoreCase(a: string, b: string): number {
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}
