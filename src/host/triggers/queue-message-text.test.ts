import { describe, expect, it } from 'vitest';
import { decodeBase64Text, decodeMessageText, encodeMessageBody } from './queue-message-text.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('decodeMessageText', () => {
  it('decodes base64 of UTF-8 text', () => {
    expect(decodeMessageText(b64('{"hello":"wörld"}'), 'base64')).toBe('{"hello":"wörld"}');
    expect(decodeMessageText(b64('plain words'), 'base64')).toBe('plain words');
  });

  it('keeps plain text that is not base64 as it is', () => {
    expect(decodeMessageText('{"hello":"world"}', 'base64')).toBe('{"hello":"world"}');
    expect(decodeMessageText('hello world', 'base64')).toBe('hello world');
  });

  it('keeps plain words that happen to be valid base64 but decode to no text', () => {
    for (const word of ['test', 'abcd', 'hello123', 'fail', 'AAAA']) {
      expect(decodeBase64Text(word)).toBeUndefined();
      expect(decodeMessageText(word, 'base64')).toBe(word);
    }
  });

  it('keeps base64 that does not round-trip', () => {
    // Non-zero padding bits: Node decodes it, but re-encoding gives different text.
    expect(decodeBase64Text('aGVsbG9=')).toBeUndefined();
    expect(decodeBase64Text('aGVsbG8')).toBeUndefined();
  });

  it('never decodes with messageEncoding none', () => {
    expect(decodeMessageText(b64('x y z'), 'none')).toBe(b64('x y z'));
  });
});

describe('encodeMessageBody', () => {
  it('writes base64 of UTF-8 like the host, or the text itself with encoding none', () => {
    expect(encodeMessageBody('héllo', 'base64')).toBe(b64('héllo'));
    expect(encodeMessageBody(Buffer.from([1, 2, 3]), 'base64')).toBe('AQID');
    expect(encodeMessageBody('héllo', 'none')).toBe('héllo');
  });
});
