/**
 * What a provider SDK does with a failed response: throws an error that carries the status, the
 * response headers and the provider's own error code. Network failures surface as `fetch` throws them.
 */
export async function callProvider(baseUrl, path, { signal, apiKey } = {}) {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: 'ada@example.com' }),
    signal,
  });
  const body = await response.json().catch(() => undefined);
  if (response.ok) return body;
  const error = new Error(body?.message ?? body?.error?.message ?? `HTTP ${response.status} (key ${apiKey})`);
  error.status = response.status;
  error.headers = response.headers;
  error.code = body?.name ?? body?.error?.code;
  throw error;
}
