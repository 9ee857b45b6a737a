/** Descriptors for entity operations and activities: a name plus input and output schemas (rule 10). */
import { z } from 'zod';
import { ErrorKind } from './aos-error.js';

/** A named call whose input and output cross a process boundary and are parsed on both sides. */
export interface OperationDescriptor<I extends z.ZodType, O extends z.ZodType> {
  readonly name: string;
  readonly input: I;
  readonly output: O;
}

export function defineOperation<I extends z.ZodType, O extends z.ZodType>(name: string, input: I, output: O): OperationDescriptor<I, O> {
  return { name, input, output };
}

export const ErrorKindSchema = z.enum(Object.values(ErrorKind) as [ErrorKind, ...ErrorKind[]]);

/** An error carried across a process boundary (entity result, activity output) as data. */
export const OperationErrorSchema = z.object({
  name: z.string(),
  code: z.string(),
  kind: ErrorKindSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type OperationError = z.infer<typeof OperationErrorSchema>;

/**
 * What an `agent` entity operation returns. Errors travel as data because an exception thrown in a
 * durable-functions entity reaches the caller as `JSON.stringify(error)`, which is `{}`.
 */
export const OperationOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: OperationErrorSchema }),
]);
export type OperationOutcome = z.infer<typeof OperationOutcomeSchema>;
