/**
 * Test support: a browser made of `fetch` and a cookie jar, enough to walk the sign-in flow through
 * the bundled provider's real pages over real HTTP (one host, so every cookie goes everywhere).
 */
export type Step = { method: string; url: string; status: number; location: string | undefined };

export class Browser {
  readonly cookies = new Map<string, string>();
  readonly steps: Step[] = [];
  /** Every Set-Cookie header seen, as sent. */
  readonly setCookies: string[] = [];

  constructor(readonly origin: string) {}

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(new URL(url, this.origin), { ...init, headers, redirect: 'manual' });
    for (const header of response.headers.getSetCookie()) {
      this.setCookies.push(header);
      const [pair = '', ...attributes] = header.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && new Date(a.split('=')[1] ?? '') < new Date()));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    this.steps.push({ method: init.method ?? 'GET', url: new URL(url, this.origin).href, status: response.status, location: response.headers.get('location') ?? undefined });
    return response;
  }

  /** Follows redirects within the sign-in flow (/auth, /idp); stops at the first answer that is not one, or leaves it. */
  async follow(url: string, init: RequestInit = {}, person?: string): Promise<{ response: Response; url: string }> {
    let current = new URL(url, this.origin).href;
    let response = await this.fetch(current, init);
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location');
      if (response.status === 200 && new URL(current).pathname.startsWith('/idp/interaction/') && person !== undefined) {
        const action = /<form method="post" action="([^"]+)"/.exec(await response.text())?.[1]?.replaceAll('&amp;', '&');
        if (action === undefined) throw new Error('no login form');
        current = new URL(action, this.origin).href;
        response = await this.fetch(current, { method: 'POST', body: new URLSearchParams({ person, action: 'login' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        continue;
      }
      if (response.status === 200 && new URL(current).pathname.startsWith('/idp/')) {
        // A page that submits itself with a script (the provider ending its previous person's session): submit it.
        const page = await response.clone().text();
        const form = /<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(page);
        if (form !== null && page.includes('.submit()')) {
          const inputs = [...(form[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)].map((m): [string, string] => [m[1] ?? '', m[2] ?? '']);
          current = new URL(form[1] ?? '', current).href;
          response = await this.fetch(current, { method: 'POST', body: new URLSearchParams(inputs), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
          continue;
        }
      }
      if (location === null || response.status < 300 || response.status >= 400) break;
      const next = new URL(location, current);
      if (next.origin !== this.origin || !/^\/(idp|auth)(\/|$)/.test(next.pathname)) break;
      current = next.href;
      response = await this.fetch(current);
    }
    return { response, url: current };
  }

  /** Signs in as a demo person; the last answer is the callback's (a 303 to `returnTo`, or a page). `prompt: 'login'` makes the provider ask again. */
  signIn(person: string, returnTo = '/', prompt?: 'login'): Promise<{ response: Response; url: string }> {
    return this.follow(`/auth/sign-in?${new URLSearchParams({ returnTo, ...(prompt === undefined ? {} : { prompt }) }).toString()}`, {}, person);
  }

  /** The authorization request the flow sent to the provider. */
  authorizationRequest(): URL | undefined {
    const step = this.steps.find((s) => new URL(s.url).pathname === '/idp/auth' && new URL(s.url).searchParams.has('client_id'));
    return step === undefined ? undefined : new URL(step.url);
  }
}
