import { describe, expect, it } from 'vitest';
import { BindingData, BindingGuid, BindingInvocationError, escapeODataValue, parseTemplate, resolveTemplate } from './binding-expressions.js';
import { formatNetDateCustom } from './net-format.js';

const data = (values: Record<string, unknown>) => {
  const d = new BindingData();
  for (const [k, v] of Object.entries(values)) d.set(k, v);
  return d;
};
const NOW = new Date('2026-03-04T05:06:07.089Z');
const now = () => NOW;

describe('resolveTemplate', () => {
  it('substitutes names case-insensitively and keeps literals', () => {
    expect(resolveTemplate('backups/{backupPath}.bin', data({ BackupPath: 'a/b' }))).toBe('backups/a/b.bin');
    expect(resolveTemplate('plain/path.txt', data({}))).toBe('plain/path.txt');
  });

  it('walks dotted names into objects, case-insensitively', () => {
    const d = data({ order: { Customer: { id: 42 } } });
    expect(resolveTemplate('c/{order.customer.ID}', d)).toBe('c/42');
    expect(() => resolveTemplate('c/{order.missing}', d)).toThrow(/Error while accessing 'missing'/);
  });

  it("fails with the host's message when a name has no value", () => {
    expect(() => resolveTemplate('out/{nope}.txt', data({ other: 1 }))).toThrow(new BindingInvocationError("No value for named parameter 'nope'."));
  });

  it('formats values as the host does', () => {
    const d = data({ n: 7, f: 1.5, yes: true, no: false, nothing: null });
    expect(resolveTemplate('{n}-{f}-{yes}-{no}-{nothing}', d)).toBe('7-1.5-True-False-');
    expect(() => resolveTemplate('{obj}', data({ obj: { a: 1 } }))).toThrow(/refers to an object or array/);
  });

  it('resolves the built-ins {rand-guid} and {DateTime}, with formats, unless binding data has the name', () => {
    expect(resolveTemplate('{rand-guid}', data({}))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(resolveTemplate('{rand-guid:N}', data({}))).toMatch(/^[0-9a-f]{32}$/);
    expect(resolveTemplate('x/{DateTime}', data({}), { now })).toBe('x/2026-03-04T05-06-07Z');
    expect(resolveTemplate('{datetime:yyyy/MM/dd}', data({}), { now })).toBe('2026/03/04');
    expect(resolveTemplate('{DateTime}', data({ datetime: 'mine' }), { now })).toBe('mine');
  });

  it('resolves sys.randguid and sys.utcnow from the sys object', () => {
    const sys = new BindingData();
    const guid = new BindingGuid('0F8FAD5B-D9CB-469F-A165-70867728950E');
    sys.set('RandGuid', guid);
    sys.set('UtcNow', NOW);
    sys.set('MethodName', 'fn');
    const d = data({ sys });
    expect(resolveTemplate('{sys.randguid}/{sys.RandGuid:B}', d)).toBe('0f8fad5b-d9cb-469f-a165-70867728950e/{0f8fad5b-d9cb-469f-a165-70867728950e}');
    expect(resolveTemplate('{sys.utcnow}/{sys.UtcNow:HH.mm}/{sys.methodname}', d)).toBe('2026-03-04T05-06-07Z/05.06/fn');
  });

  it('rejects malformed templates', () => {
    expect(() => parseTemplate('a/{b')).toThrow(/without a matching '}'/);
    expect(() => parseTemplate('a/b}')).toThrow(/without a matching '{'/);
    expect(() => parseTemplate('a/{}')).toThrow(/not a valid binding expression/);
    expect(() => parseTemplate('a/{x-y}')).toThrow(/not a valid binding expression/);
    expect(() => parseTemplate('a/{b..c}')).toThrow(/not a valid binding expression/);
  });

  it('escapes substituted values for OData filters but not the literal text', () => {
    expect(resolveTemplate("Name eq '{name}'", data({ name: "O'Brien" }), { escape: escapeODataValue })).toBe("Name eq 'O''Brien'");
  });
});

describe('formatNetDateCustom', () => {
  it('covers the specifiers binding paths use', () => {
    expect(formatNetDateCustom(NOW, 'yyyy-MM-ddTHH-mm-ssK')).toBe('2026-03-04T05-06-07Z');
    expect(formatNetDateCustom(NOW, 'yy M d H m s fff')).toBe('26 3 4 5 6 7 089');
    expect(formatNetDateCustom(NOW, "'at' hh tt")).toBe('at 05 AM');
    expect(formatNetDateCustom(NOW, 'o')).toBe('2026-03-04T05:06:07.0890000Z');
    expect(formatNetDateCustom(NOW, 's')).toBe('2026-03-04T05:06:07');
  });
});
