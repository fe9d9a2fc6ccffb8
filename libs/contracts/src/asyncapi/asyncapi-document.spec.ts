import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TOPICS } from '../events/topics';
import { buildAsyncApiDocument, DOCUMENTED_CHANNELS } from './asyncapi-document';

const DOCUMENT_PATH = path.resolve(__dirname, '../../../../docs/asyncapi.json');

describe('docs/asyncapi.json', () => {
  it('is what libs/contracts generates (run `npm run asyncapi` after changing a contract)', () => {
    const committed: unknown = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8'));
    expect(committed).toEqual(buildAsyncApiDocument());
  });

  it('documents every topic in TOPICS that has a producer today', () => {
    const documented = DOCUMENTED_CHANNELS.map((channel) => channel.topic.name);
    const all = Object.values(TOPICS).map((topic) => topic.name);
    expect(all).toEqual(expect.arrayContaining(documented));
    const channels = Object.keys(buildAsyncApiDocument().channels as object);
    for (const topic of documented)
      expect(channels).toEqual(expect.arrayContaining([topic, `${topic}.dlq`]));
  });
});
