/** `GET /api/health`: anonymous liveness of the AOS app. */
import { app, type HttpResponseInit } from '@azure/functions';

const startedAt = new Date().toISOString();

export function health(): HttpResponseInit {
  return { status: 200, jsonBody: { status: 'ok', service: 'aos', startedAt } };
}

app.http('health', { methods: ['GET'], authLevel: 'anonymous', route: 'health', handler: health });
