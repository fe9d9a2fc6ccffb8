import { HealthServer } from './health-server';

describe('HealthServer', () => {
  it('is live and ready until it drains, then ready answers 503', async () => {
    const server = new HealthServer();
    const port = await server.listen(0, '127.0.0.1');
    const status = async (path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).status;

    try {
      expect(await status('/health/live')).toBe(200);
      expect(await status('/health/ready')).toBe(200);
      expect(await status('/elsewhere')).toBe(404);

      server.drain();

      expect(await status('/health/live')).toBe(200);
      expect(await status('/health/ready')).toBe(503);
    } finally {
      await server.close();
    }
  });
});
