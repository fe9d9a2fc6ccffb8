import { type LookupAddress } from 'node:dns';
import { type LookupFunction } from 'node:net';
import {
  type ResolveAll,
  WebhookDestinationPolicy,
  WebhookDestinationRefused,
} from './webhook-destination-policy';

const DEFAULTS = { allowedHosts: [], allowHttp: false };

/** A resolver that answers from a table, as DNS would (or an attacker's DNS). */
function resolverOf(table: Record<string, string[]>): ResolveAll {
  return (hostname, _options, callback) => {
    const addresses = (table[hostname] ?? []).map((address): LookupAddress => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    callback(null, addresses);
  };
}

function lookUp(
  lookup: LookupFunction,
  hostname: string,
  all: boolean,
): Promise<string | LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, { all }, (error, address) => (error ? reject(error) : resolve(address))),
  );
}

describe('WebhookDestinationPolicy', () => {
  const policy = new WebhookDestinationPolicy(DEFAULTS);

  it.each([
    ['loopback', 'http://127.0.0.1:3004/internal/v1/drones', /https/],
    [
      'loopback over https',
      'https://127.0.0.1:3004/internal/v1/drones',
      /127\.0\.0\.1.*not a public/,
    ],
    ['cloud metadata', 'https://169.254.169.254/latest/meta-data', /169\.254\.169\.254/],
    ['a bare service name', 'https://drone-management:3004/internal/v1/drones', /domain name/],
    ['a private address', 'https://10.0.0.1/', /10\.0\.0\.1/],
    ['IPv6 loopback', 'https://[::1]:3001/', /::1/],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/', /not a public/],
    ['loopback written in hex', 'https://0x7f.1/', /127\.0\.0\.1/],
    ['localhost', 'https://localhost/', /domain name/],
    ['a name under localhost', 'https://api.localhost/', /domain name/],
    ['plain http', 'http://hooks.example.com/x', /https/],
    ['credentials', 'https://hooks.example.com@10.0.0.1/', /user name/],
    ['an impossible port', 'https://hooks.example.com:99999/', /not a URL/],
  ])('refuses %s by default (%s)', (_, url, reason) => {
    expect(policy.refusalOf(url)).toMatch(reason);
    expect(() => policy.destinationOf(url)).toThrow(WebhookDestinationRefused);
  });

  it.each([
    ['a public host name', 'https://hooks.example.com/deliveries?x=1'],
    ['a public address', 'https://93.184.215.14/hook'],
    ['a fully qualified name', 'https://hooks.example.com./hook'],
  ])('accepts %s', (_, url) => {
    expect(policy.refusalOf(url)).toBeUndefined();
  });

  it('calls allowed hosts whatever their address, on the allowed port only, and http when told', () => {
    const demo = new WebhookDestinationPolicy({
      allowedHosts: ['127.0.0.1:8080', 'webhook-receiver', '[::1]:3001'],
      allowHttp: true,
    });

    expect(demo.refusalOf('http://127.0.0.1:8080/hooks/a')).toBeUndefined();
    expect(demo.refusalOf('http://webhook-receiver:9000/hooks/a')).toBeUndefined();
    expect(demo.refusalOf('http://[::1]:3001/')).toBeUndefined();
    expect(demo.refusalOf('http://127.0.0.1:3004/internal/v1/drones')).toMatch(/not a public/);
    expect(demo.refusalOf('http://[::1]:3002/')).toMatch(/not a public/);
    expect(demo.refusalOf('http://hooks.example.com/x')).toBeUndefined();
    expect(demo.destinationOf('http://webhook-receiver/x').lookup).toBeUndefined();
  });

  describe('when sending, after resolving the host', () => {
    const rebinding = new WebhookDestinationPolicy(
      DEFAULTS,
      resolverOf({
        'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
        'rebound.example.com': ['93.184.215.14', '127.0.0.1'],
        'metadata.example.com': ['::ffff:169.254.169.254'],
      }),
    );

    it('connects to exactly the addresses it checked', async () => {
      const { lookup } = rebinding.destinationOf('https://hooks.example.com/x');
      if (lookup === undefined) throw new Error('a host name must be looked up');

      await expect(lookUp(lookup, 'hooks.example.com', true)).resolves.toEqual([
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ]);
      await expect(lookUp(lookup, 'hooks.example.com', false)).resolves.toBe('93.184.215.14');
    });

    it.each([
      ['one of its addresses is loopback', 'rebound.example.com', /127\.0\.0\.1/],
      ['it resolves to IPv4-mapped metadata', 'metadata.example.com', /169\.254\.169\.254/],
    ])('refuses a host when %s', async (_, hostname, reason) => {
      const { lookup } = rebinding.destinationOf(`https://${hostname}/x`);
      if (lookup === undefined) throw new Error('a host name must be looked up');

      const refused = lookUp(lookup, hostname, true);
      await expect(refused).rejects.toThrow(WebhookDestinationRefused);
      await expect(refused).rejects.toThrow(reason);
    });
  });
});
