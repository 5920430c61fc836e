// How the page talks to its node: the optional token (kept for this tab only), sent as a
// Bearer header with every request, the live tail's stream included (it is read with fetch,
// so no token ever goes into a URL).

const TOKEN_KEY = 'fanout.token';

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function setToken(token) {
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

// A topic's '/' is sent percent-encoded; the node accepts both forms.
export function topicPath(topic) {
  return '/topics/' + encodeURIComponent(topic);
}

export function eventsPath(topic) {
  return topicPath(topic) + '/events';
}

// Read at each request, so a token entered later is used by the next one.
export function authHeaders() {
  const token = getToken();
  return token ? { Authorization: 'Bearer ' + token } : {};
}

// Resolves to { ok, status, json } for any HTTP answer; rejects only when the node is unreachable.
export async function request(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json', ...authHeaders() };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { ok: response.ok, status: response.status, json };
}

// "HTTP 403: <problem title>" from an RFC 9457 answer.
export function describeFailure(result) {
  const title = typeof result.json?.title === 'string' ? result.json.title : '';
  return title ? `HTTP ${result.status}: ${title}` : `HTTP ${result.status}`;
}
