/** `%Setting%` expressions in binding properties resolve from app settings, as in the Functions host. */

export class MissingAppSettingError extends Error {
  override name = 'MissingAppSettingError';
  constructor(readonly setting: string) {
    super(`app setting '${setting}' is not defined (referenced as %${setting}%)`);
  }
}

/** Replace every `%Name%` in `value` with the app setting `Name`; `%%` is not an expression. */
export function resolveAppSettingExpressions(value: string, settings: Record<string, string | undefined>): string {
  return value.replace(/%([^%\s]+)%/g, (_whole, name: string) => {
    const resolved = settings[name];
    if (resolved === undefined) throw new MissingAppSettingError(name);
    return resolved;
  });
}
