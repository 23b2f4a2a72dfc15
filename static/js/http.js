// The one way every screen calls this box over HTTP (the JSON API, the kiosk's and the booth's
// calls, read-aloud): a timeout, the CSRF header, JSON both ways, and one kind of failure.
//
// A failure is either *lost* or a *refusal*. Lost: fetch threw, nothing came back within the
// timeout, or a bare 502/503/504 came from something in between (or a server restarting); the
// request may have arrived or not, so it is worth sending again, with the same request id, and
// the server answers a repeat as it answered the first. A refusal carries the server's
// {"error": {"code", "message"}} (a 503 "storage_read_only" too): it is shown, never retried.

const TIMEOUT_MS = 10000; // a call unanswered this long is counted as lost, like a dropped one
// A proxy or the server restarting answers these: the request may be fine a moment later.
const UNREACHABLE = new Set([502, 503, 504]);
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);
const LOST = "network";

/**
 * A call that did not succeed: `lost` (no answer: send it again) or refused with the server's
 * `code` and `message` (its words in the page's language; "" when it gave none, so a caller
 * shows its own). `status` is the HTTP status (0 when nothing came back).
 */
export class RequestError extends Error {
  constructor(code, message = "", status = 0) {
    super(message || "");
    this.name = "RequestError";
    this.code = code;
    this.status = status;
  }

  /** A failure with no answer: the request may or may not have arrived. */
  static lost(status = 0) {
    return new RequestError(LOST, "", status);
  }

  get lost() {
    return this.code === LOST;
  }
}

/** A new id for one submission, sent again with each of its retries (the server's replay key). */
export function requestId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // works without HTTPS, unlike randomUUID
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The page's CSRF token (Flask-WTF checks it on every state-changing request), or null. */
function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") || null;
}

/**
 * Call the server. Resolves the answer's JSON (a Blob when `accept` is not JSON: the printed
 * slip); rejects with a RequestError.
 *
 * options.method   "GET" (the default), "POST", "PATCH", …
 * options.body     an object, sent as JSON; or FormData (a photo), sent as it is
 * options.query    {name: value} added to the URL (empty values left out)
 * options.timeout  milliseconds before an unanswered call counts as lost (10 s)
 * options.accept   the type asked for ("application/json")
 */
export async function request(url, options = {}) {
  const { method = "GET", body, query, timeout = TIMEOUT_MS, accept = "application/json" } = options;
  const target = new URL(url, window.location.href);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") target.searchParams.set(key, value);
  }
  const headers = { Accept: accept };
  const token = csrfToken();
  if (token && !SAFE.has(method.toUpperCase()) && target.origin === window.location.origin) {
    headers["X-CSRFToken"] = token;
  }
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const timer = new AbortController();
  const stop = window.setTimeout(() => timer.abort(), timeout);
  let response;
  try {
    response = await fetch(target, {
      method, headers, body: payload, credentials: "same-origin", signal: timer.signal,
    });
  } catch {
    throw RequestError.lost();
  } finally {
    window.clearTimeout(stop);
  }
  let text;
  try {
    if (response.ok && accept !== "application/json") return await response.blob();
    text = await response.text();
  } catch {
    throw RequestError.lost(response.status); // cut off on its way back
  }
  let data = null;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON: no refusal in it (below).
  }
  if (response.ok && data !== null) return data;
  const refusal = data && data.error;
  // A bare 502/503/504 comes from something in between, or a server restarting.
  if (!refusal && UNREACHABLE.has(response.status)) throw RequestError.lost(response.status);
  throw new RequestError(refusal?.code || String(response.status), refusal?.message, response.status);
}
