/** Bytes per `String.fromCharCode` call: well under any engine's argument limit. */
const CHUNK = 0x8000;

/**
 * Base64 of an attachment's content: bytes are encoded, a string is taken to be base64 already (as
 * the message contract says) and passed through. Uses `btoa`, so it runs wherever the SDK does.
 */
export function toBase64(content: Uint8Array | string): string {
  if (typeof content === 'string') return content;
  let binary = '';
  for (let offset = 0; offset < content.length; offset += CHUNK) {
    binary += String.fromCharCode(...content.subarray(offset, offset + CHUNK));
  }
  return btoa(binary);
}
