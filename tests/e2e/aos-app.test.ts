// Proves the README's run command: `aos start` serves AOS's own app (health route) on the
// local host with the run's Azurite, and answers unknown routes with a JSON 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAos, type AosProcess } from '../support/aos-process.js';

describe('aos start (AOS app)', () => {
  let aos: AosProcess;
  beforeAll(async () => {
    aos = await startAos();
  });
  afterAll(async () => {
    await aos?.stop();
  });

  it('answers the health route', async () => {
    const res = await fetch(`${aos.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'aos' });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await fetch(`${aos.baseUrl}/api/no-such-route`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no function serves GET /api/no-such-route' } });
  });

  it('stops cleanly on Ctrl-C', async () => {
    const code = await aos.stop();
    expect(code).toBe(0);
  });
});
