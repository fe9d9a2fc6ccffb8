// `npm test`: every project in one Jest run, sharing one Postgres and one Kafka.
const fs = require('node:fs');
const path = require('node:path');

const projects = ['apps', 'libs'].flatMap((folder) =>
  fs.existsSync(path.join(__dirname, folder))
    ? fs
        .readdirSync(path.join(__dirname, folder))
        .map((name) => path.join(__dirname, folder, name, 'jest.config.js'))
        .filter((config) => fs.existsSync(config))
    : [],
);

module.exports = {
  projects,
  // testTimeout is a global option: in a multi-project run Jest ignores the projects' own value.
  // Integration tests wait on real servers; their own waits have tighter, named timeouts.
  testTimeout: 60_000,
};
