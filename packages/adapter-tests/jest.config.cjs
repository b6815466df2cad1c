module.exports = require('../../jest.base.cjs')(__dirname, 'adapter-tests');
