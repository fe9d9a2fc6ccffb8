import { readFileSync } from 'node:fs';
import { type ConnectionOptions } from 'node:tls';

/** What every function here that builds a Kafka client takes, beside the brokers. */
export interface KafkaTlsOption {
  /**
   * TLS to the brokers (kafkajs' `ssl`): the chain and the host name are checked. Absent:
   * plain text. See kafkaTls.
   */
  tls?: ConnectionOptions;
}

/** The settings (ServiceConfig's) that say how to reach the brokers over TLS. */
export interface KafkaTlsSettings {
  KAFKA_SSL?: boolean;
  KAFKA_CA_FILE?: string;
  KAFKA_CERT_FILE?: string;
  KAFKA_KEY_FILE?: string;
}

/**
 * The TLS options for the brokers, read from the files the settings name: a private CA (without
 * one, Node's bundled CAs are trusted) and, for brokers that ask for it, a client certificate
 * and key. Undefined unless KAFKA_SSL is on.
 */
export function kafkaTls(settings: KafkaTlsSettings): ConnectionOptions | undefined {
  if (!settings.KAFKA_SSL) return undefined;
  const read = (file?: string) => (file === undefined ? undefined : readFileSync(file, 'utf8'));
  return {
    rejectUnauthorized: true,
    ca: read(settings.KAFKA_CA_FILE),
    cert: read(settings.KAFKA_CERT_FILE),
    key: read(settings.KAFKA_KEY_FILE),
  };
}
