// How the page talks to its node: the optional token (kept for this tab only), JSON
// requests with it as a Bearer header, and EventSource URLs with it as access_token
// (EventSource cannot set headers).

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

export function eventsUrl(topic) {
  const url = new URL(topicPath(topic) + '/events', location.origin);
  const token = getToken();
  if (token) {
    url.searchParams.set('access_token', token);
  }
  return url.href;
}

// Resolves to { ok, status, json } for any HTTP answer; rejects only when the node is unreachable.
export async function request(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const token = getToken();
  if (token) {
    headers.Authorization = 'Bearer ' + token;
  }
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
