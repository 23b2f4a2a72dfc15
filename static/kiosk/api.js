// The kiosk's JSON calls (kiosk/views.py). Every answer becomes {ok, data} or {ok: false, error}.

const TIMEOUT_MS = 10000; // a call unanswered this long is counted as lost, like a dropped one
// A proxy or the server restarting answers these: the request may be fine a moment later.
const UNREACHABLE = new Set([502, 503, 504]);
const LOST = { code: "network", message: null };

/** A new id for one submission, sent again with each of its retries (the server's replay key). */
export function requestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // works without HTTPS, unlike randomUUID
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Call the server; a refusal's {error: {code, message}} is returned, never thrown. A lost
 * connection, a timeout or a bare 502/503/504 (no refusal in it) all answer the code
 * "network": worth sending again.
 */
export async function call(url, { method = "GET", body, query } = {}) {
  const target = new URL(url, window.location.href);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") target.searchParams.set(key, value);
  }
  const init = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const timer = new AbortController();
  const stop = window.setTimeout(() => timer.abort(), TIMEOUT_MS);
  init.signal = timer.signal;
  let response;
  try {
    response = await fetch(target, init);
  } catch {
    return { ok: false, status: 0, error: LOST };
  } finally {
    window.clearTimeout(stop);
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, data };
  // The server's own refusal (a 503 "storage_read_only" too) has its words; a bare 502/503/504
  // comes from something in between, or a server restarting.
  if (UNREACHABLE.has(response.status) && !data?.error) {
    return { ok: false, status: response.status, error: LOST };
  }
  const error = (data && data.error) || { code: String(response.status), message: null };
  return { ok: false, status: response.status, error };
}

/** POST and return the answer's bytes as a Blob (the printed slip), or null when it failed. */
export async function fetchBlob(url, body) {
  try {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/pdf" },
      body: JSON.stringify(body),
    });
    return response.ok ? await response.blob() : null;
  } catch {
    return null;
  }
}
