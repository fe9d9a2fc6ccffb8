import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/** Every address a host name resolves to, as `dns.lookup(host, { all: true })` gives them. */
export type ResolveAll = (hostname: string) => Promise<string[]>;

export const resolveWithDns: ResolveAll = async (hostname) =>
  (await lookup(hostname, { all: true })).map((entry) => entry.address);

export class ServiceNotFoundError extends Error {
  constructor(
    readonly hostname: string,
    cause: unknown,
  ) {
    super(
      `${hostname} does not resolve: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'ServiceNotFoundError';
  }
}

interface Resolved {
  addresses: string[];
  resolvedAt: number;
  /** The next address to hand out, modulo the list's length. */
  cursor: number;
}

export interface ServiceAddressesOptions {
  resolve?: ResolveAll;
  /** How long a resolution is reused. */
  cacheMs: number;
  now?: () => number;
}

/**
 * Spreads calls over every instance behind a service name: the name is resolved to all its
 * addresses (with `docker compose up --scale delivery=2`, Docker's DNS returns both), kept for a
 * few seconds, and each call takes the next address in turn. Choosing per call, not per
 * connection, matters: a keep-alive agent would otherwise pin a caller to one instance.
 */
export class ServiceAddresses {
  private readonly resolved = new Map<string, Resolved>();
  private readonly pending = new Map<string, Promise<Resolved>>();
  private readonly resolve: ResolveAll;
  private readonly now: () => number;

  constructor(private readonly options: ServiceAddressesOptions) {
    this.resolve = options.resolve ?? resolveWithDns;
    this.now = options.now ?? Date.now;
  }

  /** The address the next call to `hostname` goes to. */
  async next(hostname: string): Promise<string> {
    if (isIP(hostname)) return hostname;
    const entry = await this.current(hostname);
    const address = entry.addresses[entry.cursor % entry.addresses.length];
    entry.cursor = (entry.cursor + 1) % entry.addresses.length;
    return address;
  }

  /** Every instance of a service: `baseUrl` once per address its name resolves to. */
  async allUrls(baseUrl: string): Promise<URL[]> {
    const url = new URL(baseUrl);
    const addresses = isIP(url.hostname)
      ? [url.hostname]
      : (await this.current(url.hostname)).addresses;
    return addresses.map((address) => {
      const instance = new URL(baseUrl);
      instance.hostname = isIP(address) === 6 ? `[${address}]` : address;
      return instance;
    });
  }

  /** `baseUrl` with its host replaced by the next address: `http://delivery:3005` → `http://172.18.0.7:3005`. */
  async nextUrl(baseUrl: string): Promise<URL> {
    const url = new URL(baseUrl);
    const address = await this.next(url.hostname);
    url.hostname = isIP(address) === 6 ? `[${address}]` : address;
    return url;
  }

  private async current(hostname: string): Promise<Resolved> {
    const cached = this.resolved.get(hostname);
    if (cached && this.now() - cached.resolvedAt < this.options.cacheMs) return cached;
    let refreshing = this.pending.get(hostname);
    if (!refreshing) {
      // One lookup at a time per name, however many calls arrive while it runs.
      refreshing = this.refresh(hostname, cached).finally(() => this.pending.delete(hostname));
      this.pending.set(hostname, refreshing);
    }
    return refreshing;
  }

  private async refresh(hostname: string, stale: Resolved | undefined): Promise<Resolved> {
    let addresses: string[];
    try {
      addresses = await this.resolve(hostname);
    } catch (error) {
      // A DNS blip should not take a service away: the last known addresses are still the best guess.
      if (stale) return stale;
      throw new ServiceNotFoundError(hostname, error);
    }
    if (addresses.length === 0) {
      if (stale) return stale;
      throw new ServiceNotFoundError(hostname, 'no addresses');
    }
    // Addresses in a stable order, so the cursor keeps its place when the same set comes back.
    const sorted = [...new Set(addresses)].sort();
    const entry: Resolved = {
      addresses: sorted,
      resolvedAt: this.now(),
      cursor: stale?.cursor ?? 0,
    };
    this.resolved.set(hostname, entry);
    return entry;
  }
}

/** `host=addr,addr;host=addr` (SERVICE_ADDRESSES_OVERRIDE) as a resolver; other names use DNS. */
export function resolverWithOverrides(overrides: string | undefined): ResolveAll {
  if (!overrides) return resolveWithDns;
  const fixed = new Map(
    overrides.split(';').map((entry) => {
      const [host, addresses] = entry.split('=');
      return [host.toLowerCase(), addresses.split(',')] as const;
    }),
  );
  return (hostname) => {
    const addresses = fixed.get(hostname.toLowerCase());
    return addresses ? Promise.resolve(addresses) : resolveWithDns(hostname);
  };
}
