/**
 * Queue message bodies. The host's default `messageEncoding` is base64, but messages put on a
 * queue by other tools are often plain text; both must work, so a body is decoded only when it is
 * base64 that round-trips to the same text and decodes to readable UTF-8.
 */
import { MessageEncoding } from './queue-options.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The decoded text when `text` is canonical base64 of UTF-8 text; undefined otherwise. */
export function decodeBase64Text(text: string): string | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) return undefined;
  let decoded: string;
  try {
    decoded = strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
  // Words like "test" are valid base64 too; real text has no control characters besides whitespace.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(decoded)) return undefined;
  return decoded;
}

/** The message body a function sees. */
export function decodeMessageText(raw: string, encoding: MessageEncoding): string {
  if (encoding === MessageEncoding.None) return raw;
  return decodeBase64Text(raw) ?? raw;
}

/** The stored text for a body the app wrote through a `queue` output binding. */
export function encodeMessageBody(body: string | Uint8Array, encoding: MessageEncoding): string {
  if (encoding === MessageEncoding.None) return typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return (typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)).toString('base64');
}
