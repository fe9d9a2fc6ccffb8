module.exports = require('../../jest.preset').jestProjectConfig(__dirname, 'dashboard-e2e');
