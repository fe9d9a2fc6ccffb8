/** One text message, as an SMS provider takes it. */
export interface SmsMessage {
  /** E.164. */
  to: string;
  body: string;
  /** The same for every send of one notification, for providers that deduplicate by it. */
  idempotencyKey: string;
}

/** An SMS provider; HttpSmsProvider is the one adapter so far. */
export interface SmsProvider {
  /** Resolves once the provider accepted the message; throws saying why it did not. */
  sendSms(message: SmsMessage): Promise<void>;
}

/** The SmsProvider of the service, or null when none is configured. */
export const SMS_PROVIDER = Symbol('SMS_PROVIDER');
