// The API token, kept for this browser tab only (sessionStorage): off loopback every request needs it.
const key = 'probegrid.token';

export function storedToken() {
  return sessionStorage.getItem(key) ?? '';
}

export function keepToken(token) {
  if (token) sessionStorage.setItem(key, token.trim());
  else sessionStorage.removeItem(key);
}
