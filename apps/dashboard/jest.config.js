module.exports = require('../../jest.preset').jestProjectConfig(__dirname, 'dashboard');
