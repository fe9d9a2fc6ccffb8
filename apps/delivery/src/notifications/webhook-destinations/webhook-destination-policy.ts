import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { type Provider } from '@nestjs/common';
import { type DeliveryConfig, WEBHOOK_HOST_ENTRY } from '../../config/delivery.config';
import { DELIVERY_CONFIG } from '../../config/delivery.config.token';
import { isPublicAddress } from './public-address';

export interface WebhookDestinationSettings {
  /** `host` or `host:port` entries called whatever address they have: demos and tests only. */
  allowedHosts: string[];
  /** Plain http too, not only https: demos and tests only. */
  allowHttp: boolean;
}

/** dns.lookup with `all: true`: every address of a host. */
export type ResolveAll = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const resolveWithDns: ResolveAll = (hostname, options, callback) =>
  dnsLookup(hostname, { ...options, all: true }, callback);

/** A webhook this service will not call, whatever it answers: never retried. */
export class WebhookDestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDestinationRefused';
  }
}

/**
 * Which webhooks may be called, against server-side request forgery: by default only https to
 * public addresses. Checked from the URL alone when a subscriber subscribes, and again when
 * sending, then on every address the host resolves to, inside the connection's own lookup: the
 * addresses checked are the ones connected to, so a name that resolves to a public address at
 * subscribe time and to a private one later (DNS rebinding) is still refused.
 */
export class WebhookDestinationPolicy {
  private readonly allowed: { hostname: string; port?: string }[];

  constructor(
    private readonly settings: WebhookDestinationSettings,
    private readonly resolveAll: ResolveAll = resolveWithDns,
  ) {
    this.allowed = settings.allowedHosts.map((entry) => {
      const match = WEBHOOK_HOST_ENTRY.exec(entry.trim());
      if (!match) throw new Error(`not a host or host:port: ${entry}`);
      return { hostname: new URL(`http://${match[1]}/`).hostname, port: match[2] };
    });
  }

  /** Why `rawUrl` may not be called, judged from the URL alone; undefined when it may. */
  refusalOf(rawUrl: string): string | undefined {
    try {
      this.destinationOf(rawUrl);
      return undefined;
    } catch (error) {
      if (error instanceof WebhookDestinationRefused) return error.message;
      throw error;
    }
  }

  /**
   * The URL to call and the lookup to connect with: undefined for an address (nothing to
   * resolve) or an allowed host. Throws WebhookDestinationRefused.
   */
  destinationOf(rawUrl: string): { url: URL; lookup: LookupFunction | undefined } {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new WebhookDestinationRefused('webhookUrl is not a URL this service can call');
    }
    if (url.username !== '' || url.password !== '') {
      throw new WebhookDestinationRefused('webhookUrl must not carry a user name or password');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.settings.allowHttp)) {
      throw new WebhookDestinationRefused('webhookUrl must use https');
    }
    if (this.isAllowedHost(url)) return { url, lookup: undefined };
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0) {
      if (!isPublicAddress(host)) throw notPublic(host);
      return { url, lookup: undefined };
    }
    const name = host.replace(/\.$/, '');
    if (!name.includes('.') || name === 'localhost' || name.endsWith('.localhost')) {
      throw new WebhookDestinationRefused(
        'webhookUrl must name a public host by its domain name (like hooks.example.com)',
      );
    }
    return { url, lookup: this.publicOnlyLookup };
  }

  private isAllowedHost(url: URL): boolean {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.allowed.some(
      (entry) => entry.hostname === url.hostname && (entry.port ?? port) === port,
    );
  }

  /** Resolves, refuses the host if any of its addresses is not public, else connects to them. */
  private readonly publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
    this.resolveAll(hostname, options, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.find((address) => !isPublicAddress(address.address));
      if (refused) return callback(notPublic(refused.address, hostname), '', 0);
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), '', 0);
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function notPublic(address: string, hostname?: string): WebhookDestinationRefused {
  const what = hostname === undefined ? address : `${hostname}, which resolves to ${address}`;
  return new WebhookDestinationRefused(
    `webhookUrl points at ${what}, not a public address (loopback, private, link-local and ` +
      'other special-purpose addresses are refused)',
  );
}

/** The service's policy, from WEBHOOK_ALLOWED_HOSTS and WEBHOOK_ALLOW_HTTP. */
export const webhookDestinationPolicyProvider: Provider = {
  provide: WebhookDestinationPolicy,
  inject: [DELIVERY_CONFIG],
  useFactory: (config: DeliveryConfig) =>
    new WebhookDestinationPolicy({
      allowedHosts: config.WEBHOOK_ALLOWED_HOSTS,
      allowHttp: config.WEBHOOK_ALLOW_HTTP === 'true',
    }),
};
