/**
 * One JSON request to a cluster member over HTTP (master ↔ worker, dmctl → master): POST, JSON in and out,
 * with a timeout. A non-2xx answer with a JSON body is still returned (the callers' bodies carry
 * `result`/`msg`); no JSON or no answer is thrown.
 */
export async function postJson<T>(addr: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
  const base = /^https?:\/\//.test(addr) ? addr.replace(/\/+$/, '') : `http://${addr}`;
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${base}${path} answered ${res.status} without JSON: ${text.slice(0, 200)}`);
  }
}
