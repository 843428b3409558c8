'use strict';
// ioredis over TLS through the proxy's TLS port, trusting only the test's CA (TLS_CA_FILE) and
// Node checking the server name against the host (127.0.0.1); a client certificate when TLS_CERT_FILE/TLS_KEY_FILE are set.
const fs = require('fs');
const Redis = require('ioredis');
const { assert, run, host, port } = require('./common');

run(async () => {
  const tls = { ca: fs.readFileSync(process.env.TLS_CA_FILE) };
  if (process.env.TLS_CERT_FILE) {
    tls.cert = fs.readFileSync(process.env.TLS_CERT_FILE);
    tls.key = fs.readFileSync(process.env.TLS_KEY_FILE);
  }
  const io = new Redis({ host, port, tls });
  try {
    await io.set('node:tls:io', 'over tls');
    assert(await io.get('node:tls:io') === 'over tls', 'ioredis reads its write over TLS');
    const pipeline = io.pipeline();
    for (let i = 0; i < 100; i++) {
      pipeline.incr('node:tls:counter');
    }
    const results = await pipeline.exec();
    assert(results.every(([error]) => error === null), 'every pipelined INCR succeeded');
    return { value: await io.get('node:tls:io'), counter: Number(await io.get('node:tls:counter')) };
  } finally {
    io.disconnect();
  }
});
