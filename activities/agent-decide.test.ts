import { describe, expect, it } from 'vitest';
import { CachedInference, LexicalProvider } from '../src/services/index.js';
import { decideActivity } from './agent-decide.js';

const inference = new CachedInference(new LexicalProvider(), undefined, { ttlSeconds: 0, pricePer1k: { input: 0, output: 0 } });

describe('agent-decide activity', () => {
  it('decides with the configured provider and reports spend', async () => {
    const out = await decideActivity(
      {
        agent: { id: 'ceo', name: 'CEO', role: '', purpose: { statement: 'Grow revenue', scope: '', successCriteria: [] }, goals: [], memorySummary: '' },
        event: { id: 'e1', type: 'idea', source: 'staff', time: '2025-01-01T00:00:00.000Z', data: 'a plan to grow revenue' },
      },
      { inference },
    );
    expect(out).toMatchObject({ action: 'handle:idea', provider: 'lexical', cached: false, cost: 0 });
  });

  it('refuses an input that is not a decide request', async () => {
    await expect(decideActivity({ agent: {} }, { inference })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
