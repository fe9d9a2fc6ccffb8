import { describeSendFailure } from './send-failure';
import { type SmsMessage, type SmsProvider } from './sms-provider';

export interface HttpSmsProviderSettings {
  /** The provider's send endpoint. */
  url: string;
  token: string;
  timeoutMs: number;
}

/**
 * An SMS provider with a plain HTTP API: `POST <url>` with JSON `{to, body}` and
 * `authorization: Bearer <token>`; any 2xx means accepted.
 */
export class HttpSmsProvider implements SmsProvider {
  constructor(private readonly settings: HttpSmsProviderSettings) {}

  async sendSms(message: SmsMessage): Promise<void> {
    const response = await fetch(this.settings.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.settings.token}`,
        'content-type': 'application/json',
        'idempotency-key': message.idempotencyKey,
      },
      body: JSON.stringify({ to: message.to, body: message.body }),
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    }).catch((error: unknown) => {
      throw new Error(`the SMS provider did not answer: ${describeSendFailure(error)}`);
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the SMS provider answered ${response.status}`);
  }
}
