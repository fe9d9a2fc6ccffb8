/**
 * A browser, as far as an OAuth sign-in needs one: it keeps cookies (by path), follows
 * redirects itself, and stops at the application's redirect URI, where the code arrives.
 */

interface StoredCookie {
  value: string;
  path: string;
}

export interface PageVisit {
  /** Where the browser ended up. */
  url: string;
  status: number;
  html: string;
}

export class BrowserSession {
  private readonly cookies = new Map<string, StoredCookie>();

  /** @param stopAt the application's redirect URI: the browser stops there. */
  constructor(private readonly stopAt: string) {}

  visit(url: string): Promise<PageVisit> {
    return this.navigate(url, { method: 'GET' });
  }

  /** Submits a form as a browser does (urlencoded), then follows the redirects. */
  submit(url: string, form: Record<string, string>): Promise<PageVisit> {
    return this.navigate(url, { method: 'POST', body: new URLSearchParams(form) });
  }

  private async navigate(url: string, init: RequestInit): Promise<PageVisit> {
    let current = url;
    let request = init;
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(current, {
        ...request,
        redirect: 'manual',
        headers: { cookie: this.cookieHeader(current) },
      });
      this.store(response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current).toString();
        if (current.startsWith(this.stopAt))
          return { url: current, status: response.status, html: '' };
        request = { method: 'GET' };
        continue;
      }
      return { url: current, status: response.status, html: await response.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  private cookieHeader(url: string): string {
    const path = new URL(url).pathname;
    return [...this.cookies]
      .filter(([, cookie]) => path.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  private store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const attribute = (key: string) =>
        attributes.find((item) => item.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const expires = attribute('expires');
      const removed =
        value === '' ||
        attribute('max-age') === '0' ||
        (expires !== undefined && Date.parse(expires) <= Date.now());
      if (removed) this.cookies.delete(name);
      else this.cookies.set(name, { value, path: attribute('path') ?? '/' });
    }
  }
}

/** The `action` of the page's first form, as an absolute URL. */
export function formAction(page: PageVisit): string {
  const action = /<form method="post" action="([^"]+)"/.exec(page.html)?.[1];
  if (!action) throw new Error(`no form on ${page.url}:\n${page.html}`);
  return new URL(action.replace(/&amp;/g, '&'), page.url).toString();
}
