import { ServiceAddresses, ServiceNotFoundError } from './service-addresses';

describe('ServiceAddresses', () => {
  function withResolver(answers: (string[] | Error)[]) {
    let clock = 0;
    const asked: string[] = [];
    const addresses = new ServiceAddresses({
      cacheMs: 5_000,
      now: () => clock,
      resolve: (hostname) => {
        asked.push(hostname);
        const answer = answers.shift() ?? new Error('no more answers scripted');
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    });
    return { addresses, asked, advance: (ms: number) => (clock += ms) };
  }

  it('hands out every address of a name in turn', async () => {
    const { addresses } = withResolver([['10.0.0.2', '10.0.0.1', '10.0.0.3']]);

    const picks = [];
    for (let i = 0; i < 6; i++) picks.push(await addresses.next('delivery'));

    expect(picks).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('asks DNS again only once the cached answer is older than cacheMs', async () => {
    const { addresses, asked, advance } = withResolver([['10.0.0.1'], ['10.0.0.1', '10.0.0.2']]);

    await addresses.next('delivery');
    advance(4_999);
    await addresses.next('delivery');
    expect(asked).toHaveLength(1);

    advance(1);
    await addresses.next('delivery');
    expect(asked).toHaveLength(2);
    // A replica that joined is in the rotation now.
    expect([await addresses.next('delivery'), await addresses.next('delivery')].sort()).toEqual([
      '10.0.0.1',
      '10.0.0.2',
    ]);
  });

  it('asks once for many calls arriving together', async () => {
    const { addresses, asked } = withResolver([['10.0.0.1', '10.0.0.2']]);

    const picks = await Promise.all([addresses.next('delivery'), addresses.next('delivery')]);

    expect(asked).toEqual(['delivery']);
    expect(picks.sort()).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('keeps the last known addresses through a failed lookup', async () => {
    const { addresses, advance } = withResolver([['10.0.0.1'], new Error('EAI_AGAIN')]);

    await addresses.next('delivery');
    advance(10_000);

    await expect(addresses.next('delivery')).resolves.toBe('10.0.0.1');
  });

  it('fails with ServiceNotFoundError for a name never resolved', async () => {
    const { addresses } = withResolver([new Error('ENOTFOUND')]);

    await expect(addresses.next('nowhere')).rejects.toBeInstanceOf(ServiceNotFoundError);
  });

  it('uses an IP address as it is, and swaps only the host of a URL', async () => {
    const { addresses, asked } = withResolver([['fd00::7']]);

    expect(await addresses.next('127.0.0.1')).toBe('127.0.0.1');
    expect((await addresses.nextUrl('http://delivery:3005')).toString()).toBe(
      'http://[fd00::7]:3005/',
    );
    expect(asked).toEqual(['delivery']);
  });

  it('lists every instance of a service, sharing the cached lookup', async () => {
    const { addresses, asked } = withResolver([['10.0.0.2', '10.0.0.1']]);

    const urls = await addresses.allUrls('http://delivery:3005');
    expect(urls.map(String)).toEqual(['http://10.0.0.1:3005/', 'http://10.0.0.2:3005/']);
    expect(String(await addresses.nextUrl('http://delivery:3005'))).toBe('http://10.0.0.1:3005/');
    expect(asked).toEqual(['delivery']);
    expect((await addresses.allUrls('http://127.0.0.1:9')).map(String)).toEqual([
      'http://127.0.0.1:9/',
    ]);
  });
});
