// The relay's HTTP API with the dashboard's token. Errors throw ApiError with the relay's
// own `{"error": ...}` text.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

export function withQuery(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes("?") ? "&" : "?"}${qs}` : path;
}

// makeApi(getToken, onUnauthorized) -> api(method, path, body?, {query?}).
// `path` is the relay path ("/api/agents"); a path without the /api prefix gets it.
export function makeApi(getToken, onUnauthorized) {
  return async function api(method, path, body, { query } = {}) {
    let url = path.startsWith("/api/") || path === "/metrics" ? path : `/api${path.startsWith("/") ? "" : "/"}${path}`;
    url = withQuery(url, query);
    const headers = { Accept: "application/json" };
    const token = getToken();
    if (token) headers["X-Agent-Relay-Token"] = token;
    const init = { method: method.toUpperCase(), headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(url, init);
    } catch (err) {
      throw new ApiError(0, `relay unreachable (${err.message})`);
    }
    if (res.status === 204) return null;
    const text = await res.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = text; }
    }
    if (!res.ok) {
      const message = (data && typeof data === "object" && data.error) || `HTTP ${res.status}`;
      if (res.status === 401 && onUnauthorized) onUnauthorized();
      throw new ApiError(res.status, message);
    }
    return data;
  };
}
