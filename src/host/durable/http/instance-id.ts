/**
 * Instance id rules of the Durable HTTP API, as the extension enforces them when an
 * orchestration starts, plus one of our own (`^`).
 * @see https://github.com/Azure/azure-functions-durable-extension/blob/v2.13.7/src/WebJobs.Extensions.DurableTask/ContextImplementations/DurableClient.cs (StartNewAsync, IsInvalidCharacter)
 */
import { z } from 'zod';

/** DurableClient.MaxInstanceIdLength. */
export const MAX_INSTANCE_ID_LENGTH = 256;

// `char.IsControl`: C0 controls, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `id` cannot name a new orchestration, or undefined when it can.
 * `^` is refused because Durable Functions Monitor splits on it and cannot show such an instance.
 */
export function newOrchestrationIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'an instance id must not be empty';
  if (id.startsWith('@')) return 'orchestration instance ids must not start with @ (reserved for entities)';
  const bad = [...id].find((c) => c === '/' || c === '\\' || c === '#' || c === '?' || c === '^' || CONTROL_CHARACTER.test(c));
  if (bad !== undefined) {
    const shown = CONTROL_CHARACTER.test(bad) ? `control character U+${bad.codePointAt(0)?.toString(16).padStart(4, '0')}` : `'${bad}'`;
    return `instance ids must not contain /, \\, #, ?, ^ or control characters (found ${shown})`;
  }
  if (id.length > MAX_INSTANCE_ID_LENGTH) return `instance ids must not exceed ${MAX_INSTANCE_ID_LENGTH} characters (got ${id.length})`;
  return undefined;
}

/**
 * Why `id` cannot name an existing instance to look up, or undefined when it can. Looser than
 * {@link newOrchestrationIdProblem}: entity scheduler ids (`@counter@k1`) and ids created by
 * other tools are readable, but nothing that no instance can have reaches the engine.
 */
export function lookupInstanceIdProblem(id: string): string | undefined {
  if (id.length === 0) return 'an instance id must not be empty';
  if (CONTROL_CHARACTER.test(id)) return 'instance ids must not contain control characters';
  if (id.length > MAX_INSTANCE_ID_LENGTH) return `instance ids must not exceed ${MAX_INSTANCE_ID_LENGTH} characters (got ${id.length})`;
  return undefined;
}

function refineWith(problem: (id: string) => string | undefined) {
  return (id: string, ctx: z.RefinementCtx) => {
    const message = problem(id);
    if (message !== undefined) ctx.addIssue({ code: 'custom', message });
  };
}

/** The id of an orchestration about to be created. */
export const NewOrchestrationIdSchema = z.string().superRefine(refineWith(newOrchestrationIdProblem));
/** The id of an instance a request refers to. */
export const InstanceIdSchema = z.string().superRefine(refineWith(lookupInstanceIdProblem));
