// The kiosk's JSON calls (kiosk/views.py). Every answer becomes {ok, data} or {ok: false, error}.

/** Call the server; a refusal's {error: {code, message}} is returned, never thrown. */
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
  let response;
  try {
    response = await fetch(target, init);
  } catch {
    return { ok: false, status: 0, error: { code: "network", message: null } };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, data };
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
