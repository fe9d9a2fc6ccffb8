module.exports = require('../../jest.preset').jestProjectConfig(__dirname, 'traffic-generator');
