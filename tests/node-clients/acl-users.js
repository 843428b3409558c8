'use strict';
// ioredis with a username (REDIS_USERNAME / REDIS_PASSWORD): it logs in with AUTH user pass,
// writes and reads inside its key pattern and gets the proxy's NOPERM outside it.
const Redis = require('ioredis');
const { assert, run, host, port } = require('./common');

run(async () => {
  const client = new Redis({ host, port, username: process.env.REDIS_USERNAME, password: process.env.REDIS_PASSWORD });
  try {
    const whoami = await client.call('ACL', 'WHOAMI');
    await client.set('app1:io', 'from-ioredis');
    assert((await client.get('app1:io')) === 'from-ioredis', 'reads its own write');
    let denied = '';
    try {
      await client.get('other:io');
    } catch (error) {
      denied = error.message;
    }

    assert(denied !== '', 'a key outside the pattern is refused');
    return { whoami, denied };
  } finally {
    client.disconnect();
  }
});
