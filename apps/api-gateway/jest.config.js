module.exports = require('../../jest.preset').jestProjectConfig(__dirname, 'api-gateway');
