// `npm run service-keys [-- --version 2027-01]`: a fresh service-token key pair for the scheduler
// (the one caller of internal routes), printed as the two settings to put in a secret store:
// SERVICE_TOKEN_SIGNING_KEY for the scheduler alone, SERVICE_TOKEN_TRUSTED_KEYS for the services
// it calls. To rotate, add the new public key to the trusted set, roll the callees, then switch
// the scheduler's signing key, then drop the old public key.
import { parseArgs } from 'node:util';
import { generateServiceKeyPair } from '@drone-delivery/http';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { service: { type: 'string', default: 'scheduler' }, version: { type: 'string' } },
  });
  const { privateKey, publicKey } = await generateServiceKeyPair(values.service, values.version);
  process.stdout.write(
    `# ${values.service} only (secret):\n` +
      `SERVICE_TOKEN_SIGNING_KEY='${JSON.stringify(privateKey)}'\n` +
      `# every service ${values.service} calls (public):\n` +
      `SERVICE_TOKEN_TRUSTED_KEYS='${JSON.stringify({ keys: [publicKey] })}'\n`,
  );
}

void main();
