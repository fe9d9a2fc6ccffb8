module.exports = require('../../jest.preset').jestProjectConfig(__dirname, 'demo-traffic');
