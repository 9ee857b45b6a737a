import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('gives offline defaults for an empty environment', () => {
    const c = parseConfig({});
    expect(c.inference.provider).toBe('lexical');
    expect(c.inference.openai).toBeUndefined();
    expect(c.storageConnection).toBe('UseDevelopmentStorage=true');
    expect(c.agents).toEqual({ heartbeatSeconds: 3600, mailboxCapacity: 100, maxEventBytes: 16384, registerConfirmMs: 5000 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('coerces numbers and prefers AOS_STORAGE_CONNECTION over AzureWebJobsStorage', () => {
    const c = parseConfig({ AzureWebJobsStorage: 'a', AOS_STORAGE_CONNECTION: 'b', AOS_HEARTBEAT_SECONDS: '60', AOS_PRICE_INPUT_PER_1K: '0.5' });
    expect(c.storageConnection).toBe('b');
    expect(c.agents.heartbeatSeconds).toBe(60);
    expect(c.inference.pricePer1k.input).toBe(0.5);
  });

  it('names the bad keys', () => {
    expect(() => parseConfig({ AOS_HEARTBEAT_SECONDS: 'soon', AOS_MAILBOX_CAPACITY: '0' })).toThrow(/AOS_HEARTBEAT_SECONDS.*AOS_MAILBOX_CAPACITY/);
    expect(() => parseConfig({ AOS_INFERENCE_PROVIDER: 'openai' })).toThrow(ConfigError);
    expect(() => parseConfig({ AOS_INFERENCE_PROVIDER: 'openai' })).toThrow(/AOS_OPENAI_ENDPOINT.*AOS_OPENAI_API_KEY/);
  });

  it('builds the OpenAI settings when an endpoint is given', () => {
    const c = parseConfig({ AOS_INFERENCE_PROVIDER: 'openai', AOS_OPENAI_ENDPOINT: 'http://127.0.0.1:9/v1', AOS_OPENAI_API_KEY: 'k' });
    expect(c.inference.openai).toMatchObject({ endpoint: 'http://127.0.0.1:9/v1', apiKey: 'k', auth: 'key', maxRetries: 2, timeoutMs: 30000 });
  });
});
