// `npm run asyncapi`: writes docs/asyncapi.json from libs/contracts (see asyncapi-document.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApiDocument } from '@drone-delivery/contracts';

const target = path.resolve(__dirname, '../docs/asyncapi.json');
writeFileSync(target, `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), target)}`);
