// Node entry (CommonJS): the module is instantiated synchronously on require.
'use strict';
module.exports = { ...require('./careguard_wasm.js'), ...require('./errors.js') };
