import { createHmac } from 'node:crypto';
import { webhookSignature } from './webhook-signature';

describe('webhookSignature', () => {
  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>" under the secret', () => {
    const body = '{"eventType":"DeliveryCancelled"}';
    const expected = createHmac('sha256', 'whsec_test').update(`1700000000.${body}`).digest('hex');

    expect(webhookSignature('whsec_test', '1700000000', body)).toBe(`sha256=${expected}`);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the secret, the timestamp and the body', () => {
    const signature = webhookSignature('secret-a', '1700000000', '{}');

    expect(webhookSignature('secret-b', '1700000000', '{}')).not.toBe(signature);
    expect(webhookSignature('secret-a', '1700000001', '{}')).not.toBe(signature);
    expect(webhookSignature('secret-a', '1700000000', '{ }')).not.toBe(signature);
  });
});
