// A browser without a screen: fetch with a cookie jar and redirects not followed, so that the
// interop script can click through the mock IdP's login form the way a person's browser would.

/**
 * Cookies per origin (the provider's, and the upstream's when the provider is the broker), by
 * name, with the path they were set for. Stricter than a browser, which shares cookies across
 * the ports of a host: the broker and the mocks name their cookies per port, so both agree.
 */
export class Browser {
  /** origin → (name → { value, path }) */
  #jars = new Map();
  #origin;

  /** @param {URL} origin the provider's origin: `cookieNames` lists its cookies */
  constructor(origin) {
    this.#origin = origin.origin;
  }

  /** The names of the cookies held for the provider (or for `origin`). */
  cookieNames(origin = this.#origin) {
    return [...(this.#jars.get(origin)?.keys() ?? [])].sort();
  }

  #jar(url) {
    let jar = this.#jars.get(url.origin);
    if (!jar) {
      jar = new Map();
      this.#jars.set(url.origin, jar);
    }
    return jar;
  }

  /**
   * One request, redirects not followed. Returns the response and, for a redirect, its absolute
   * `Location`.
   * @param {URL} url
   * @param {RequestInit} [init]
   */
  async request(url, init = {}) {
    const headers = new Headers(init.headers);
    const cookie = this.#cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, {
      ...init,
      headers,
      redirect: 'manual',
      signal: init.signal ?? AbortSignal.timeout(10_000),
    });
    this.#store(url, response);
    const location = response.headers.get('location');
    return {
      response,
      location: location === null ? null : new URL(location, url),
    };
  }

  /** A GET that must answer with a redirect (301, 302, 303 or 307); returns its target. */
  async expectRedirect(url, init = {}) {
    const { response, location } = await this.request(url, init);
    if (![301, 302, 303, 307].includes(response.status) || location === null) {
      const body = await response.text();
      throw new Error(
        `expected a redirect from ${url.pathname}, got ${response.status}: ${body.slice(0, 300)}`,
      );
    }
    await response.body?.cancel();
    return location;
  }

  #cookieHeader(url) {
    return [...this.#jar(url).entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  #store(url, response) {
    const jar = this.#jar(url);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key, val = ''] = attribute.split('=');
        const k = key.toLowerCase();
        if (k === 'path' && val.startsWith('/')) path = val;
        if (k === 'max-age' && Number(val) <= 0) expired = true;
        if (k === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      if (expired) jar.delete(name);
      else jar.set(name, { value, path });
    }
  }
}
