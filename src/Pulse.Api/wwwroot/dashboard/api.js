// Calls Pulse's read API with the reader's key (sessionStorage: this tab only), as a bearer token.
const KEY = 'pulse.readKey';

/** 401 or 403: no key, a refused key, or a key without the read scope. */
export class AuthError extends Error {
  constructor(status, detail, hadKey) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.hadKey = hadKey;
  }
}

/** Any other answer that is not 2xx; problem holds the RFC 9457 body when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export const storedKey = () => sessionStorage.getItem(KEY);
export const saveKey = (key) => sessionStorage.setItem(KEY, key);
export const forgetKey = () => sessionStorage.removeItem(KEY);

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function getJson(path) {
  const headers = { Accept: 'application/json' };
  const key = storedKey();
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  const response = await fetch(path, { headers, cache: 'no-store' });
  if (response.status === 401 || response.status === 403) {
    const problem = await problemOf(response);
    throw new AuthError(response.status, problem && (problem.detail || problem.title), Boolean(key));
  }
  if (!response.ok) {
    throw new ApiError(response.status, await problemOf(response));
  }
  return response.json();
}
