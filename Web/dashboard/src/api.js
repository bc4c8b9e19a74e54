// Every request the dashboard makes: the bearer token when one is kept, problem details turned into errors that keep
// their title and every problem, so a view can show them as the API wrote them.
import { storedToken } from './token.js';

/** An answer that was not 2xx: the problem details' title, detail and problems (or the body's text). */
export class ApiProblem extends Error {
  constructor(status, title, detail, problems) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.problems = problems;
  }
}

function headers(extra = {}) {
  const token = storedToken();
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function problemOf(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    return new ApiProblem(response.status, body.title ?? `HTTP ${response.status}`, body.detail ?? '', body.problems ?? []);
  } catch {
    return new ApiProblem(response.status, `HTTP ${response.status} ${response.statusText}`, text.trim(), []);
  }
}

/** GET path and parse its JSON; throws ApiProblem when the answer is not 2xx. */
export async function getJson(path, { signal } = {}) {
  const response = await fetch(path, { headers: headers({ Accept: 'application/json' }), signal });
  if (!response.ok) throw await problemOf(response);
  return response.json();
}

/** The API writes NaN and infinities as strings ("NaN", "Infinity"): numbers for plotting. */
export function number(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return Number(value);
}

/** A query string from an object; arrays repeat the parameter (?layer=a&layer=b), empty values are left out. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== null && v !== '') search.append(key, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Reads a server-sent event stream with fetch and a streaming reader (EventSource cannot send the token), calling
 * onEvent(name, data) for each event. Resolves when the stream ends; rejects with ApiProblem on a non-2xx answer.
 */
export async function readEvents(path, onEvent, signal) {
  const response = await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal });
  if (!response.ok) throw await problemOf(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) onEvent(name, JSON.parse(data.join('\n')));
        name = 'message';
        data = [];
      } else if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      // comments (": heartbeat") and ids need nothing
    }
  }
}
