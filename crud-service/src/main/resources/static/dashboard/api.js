// The REST API as the dashboard uses it: the client token in the Authorization header (never in an address),
// problem+json turned into errors a person can read.

const BASE = 'api/v1/';

/** The token was refused (401): the dashboard goes back to its token form. */
export class Unauthorized extends Error {}

/** Any other answer that is not a success, with the problem's title and detail. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  headers(extra = {}) {
    return { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...extra };
  }

  /** GET a path under /api/v1 with query parameters (undefined and null ones left out). */
  async get(path, params = {}, signal = undefined) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null) {
        query.set(key, value);
      }
    }
    const search = query.toString();
    const url = BASE + path + (search ? `?${search}` : '');
    let response;
    try {
      response = await fetch(url, { headers: this.headers(), cache: 'no-store', signal });
    }
    catch (error) {
      if (error.name === 'AbortError') {
        throw error;
      }
      throw new ApiError(0, { title: 'SensorHub is not reachable', detail: 'The request did not get an answer.' });
    }
    if (response.status === 401) {
      throw new Unauthorized('The token was not accepted');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    return body;
  }

  /** Every item of a list, page after page (at most maxPages pages of 500). */
  async all(path, params = {}, maxPages = 20) {
    const items = [];
    let cursor;
    for (let page = 0; page < maxPages; page++) {
      const body = await this.get(path, { ...params, limit: 500, cursor });
      items.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) {
        break;
      }
    }
    return items;
  }
}

/** The path of one resource: ids are encoded, whatever characters they have. */
export function path(...segments) {
  return segments.map(encodeURIComponent).join('/');
}
