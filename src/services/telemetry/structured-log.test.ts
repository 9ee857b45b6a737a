import { describe, expect, it } from 'vitest';
import { registerSecretValue } from '../secrets/index.js';
import { createStructuredLogger } from './index.js';

describe('structured logger', () => {
  it('writes one JSON line with the identifiers, leaving payloads out and secrets redacted', () => {
    const lines: string[] = [];
    registerSecretValue('super-secret-value-1');
    const log = createStructuredLogger({ write: (l) => lines.push(l), now: () => new Date('2025-01-01T00:00:00Z') });
    log.log('warn', 'refused with super-secret-value-1', { agentId: 'a1', instanceId: 'agent-a1', correlationId: 'c1', data: { question: 'private' }, headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2025-01-01T00:00:00.000Z',
      level: 'warn',
      message: 'refused with [redacted]',
      agentId: 'a1',
      instanceId: 'agent-a1',
      correlationId: 'c1',
      data: '[omitted]',
      headers: { authorization: '[redacted]' },
    });
  });

  it('includes payloads only when configured to', () => {
    const lines: string[] = [];
    createStructuredLogger({ logPayloads: true, write: (l) => lines.push(l) }).log('info', 'event', { data: { question: 'visible' } });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ data: { question: 'visible' } });
  });
});
