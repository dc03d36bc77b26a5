// The hub's REST API, as the console uses it: same-origin fetch with the session cookie,
// JSON in and out, errors thrown as ApiError with a message fit for people.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// What the console says for the hub's error codes (the hub's own message otherwise).
const MESSAGES = {
  not_signed_in: "You are signed out. Sign in again.",
  invalid_credentials: "Wrong e-mail address or password.",
  signup_disabled: "This hub does not take new sign-ups; ask its owner for an account.",
  invalid_code: "That code is not right. Check the code on the speaker and try again.",
  expired_code: "That code has expired. Start pairing on the speaker again for a new code.",
  code_used: "That code was already used. Start pairing on the speaker again.",
  too_many_attempts: "Too many wrong codes. Wait a few minutes, then try again.",
  rate_limited: "Too many tries. Wait a moment, then try again.",
  too_large: "That is too much to send at once.",
  unavailable: "The hub cannot do that right now.",
  not_found: "Not found (was it removed?).",
};

export function friendly(error) {
  if (error instanceof ApiError) {
    if (error.status === 503 && /speech|voice/i.test(error.message)) {
      return "This hub runs without speech, so it cannot listen. Type instead.";
    }
    return MESSAGES[error.code] || error.message;
  }
  if (error instanceof TypeError) return "Cannot reach the hub. Is it running?";
  return String(error && error.message ? error.message : error);
}

async function request(method, path, { json, body, headers = {} } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const code = (data && data.error) || `http_${response.status}`;
    const message = (data && data.message) || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, code, message);
  }
  return data;
}

export const api = {
  me: () => request("GET", "/api/me"),
  login: (email, password) => request("POST", "/api/login", { json: { email, password } }),
  signup: (fields) => request("POST", "/api/signup", { json: fields }),
  logout: () => request("POST", "/api/logout"),
  devices: () => request("GET", "/api/devices"),
  confirmPairing: (fields) => request("POST", "/api/pair/confirm", { json: fields }),
  denyPairing: (userCode) => request("POST", "/api/pair/deny", { json: { user_code: userCode } }),
  updateDevice: (id, fields) =>
    request("PATCH", `/api/devices/${encodeURIComponent(id)}`, { json: fields }),
  removeDevice: (id) => request("DELETE", `/api/devices/${encodeURIComponent(id)}`),
  ask: (text) => request("POST", "/api/ask", { json: { text, speak: true } }),
  askAudio: (wav) =>
    request("POST", "/api/ask/audio", { body: wav, headers: { "Content-Type": "audio/wav" } }),
  history: (limit = 50) => request("GET", `/api/history?limit=${limit}`),
  deleteHistory: () => request("DELETE", "/api/history"),
  schedule: () => request("GET", "/api/schedule"),
};
