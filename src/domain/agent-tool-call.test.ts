import { describe, expect, it } from 'vitest';
import { serversForEvent, tagsMatch, toolCallMemoryText, toolRequestFor, toolRequestOf } from './agent-tool-call.js';
import type { EventEnvelope } from './event-envelope.js';

const event = (data: unknown, type = 'consult'): EventEnvelope => ({ id: 'e1', type, source: 's', time: '2025-01-01T00:00:00.000Z', data });
const server = (name: string, tags: string[], enabled = true) => ({ name, url: `http://127.0.0.1/${name}`, tags, enabled });

describe('agent tool calls', () => {
  it('matches tags exactly, by prefix wildcard, by star, and admits everything without tags', () => {
    expect(tagsMatch(['consult'], 'consult')).toBe(true);
    expect(tagsMatch(['order.*'], 'order.created')).toBe(true);
    expect(tagsMatch(['order.*'], 'orders')).toBe(false);
    expect(tagsMatch(['*'], 'anything')).toBe(true);
    expect(tagsMatch([], 'anything')).toBe(true);
    expect(tagsMatch(['consult'], 'gossip')).toBe(false);
  });

  it('offers only enabled servers whose tags match, in context order', () => {
    const servers = [server('a', ['consult']), server('b', ['consult'], false), server('c', ['gossip']), server('d', [])];
    expect(serversForEvent(servers, 'consult').map((s) => s.name)).toEqual(['a', 'd']);
  });

  it('reads a tool request from data.mcp and ignores malformed ones', () => {
    expect(toolRequestOf(event({ mcp: { server: 'peer', tool: 'add_memory', arguments: { text: 'x' } } }))).toEqual({ server: 'peer', tool: 'add_memory', arguments: { text: 'x' } });
    expect(toolRequestOf(event({ mcp: {} }))).toEqual({ arguments: {} });
    expect(toolRequestOf(event({ mcp: { tool: 5 } }))).toBeUndefined();
    expect(toolRequestOf(event('text'))).toBeUndefined();
    expect(toolRequestOf(event(null))).toBeUndefined();
  });

  it('lets a decision of the form mcp:<server>/<tool> pick the tool, keeping the event\'s arguments', () => {
    expect(toolRequestFor(event({ mcp: { arguments: { a: 1 } } }), 'mcp:peer/read_context')).toEqual({ server: 'peer', tool: 'read_context', arguments: { a: 1 } });
    expect(toolRequestFor(event(null), 'mcp:read_context')).toEqual({ tool: 'read_context', arguments: {} });
    expect(toolRequestFor(event(null), 'handle:consult')).toBeUndefined();
    expect(toolRequestFor(event({ mcp: { tool: 't' } }), 'defer:consult')).toEqual({ tool: 't', arguments: {} });
  });

  it('writes the outcome as one memory line', () => {
    const base = { offered: [], toolError: false, durationMs: 5 };
    expect(toolCallMemoryText({ ...base, ok: true, server: 'p', tool: 't', text: 'done' })).toBe('mcp p/t ok: done');
    expect(toolCallMemoryText({ ...base, ok: true, server: 'p', tool: 't', text: 'bad input', toolError: true })).toBe('mcp p/t answered an error: bad input');
    expect(toolCallMemoryText({ ...base, ok: false, text: '', error: { code: 'NO_SERVER', message: 'none' } })).toBe('mcp ?/? failed (NO_SERVER): none');
  });
});
