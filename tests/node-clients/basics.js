'use strict';
// Plain commands through the proxy with ioredis and node-redis, default options.
const { ioredis, nodeRedis, assert, run } = require('./common');

run(async () => {
  const io = ioredis();
  const node = await nodeRedis();
  try {
    await io.set('node:basics:io', 'from ioredis');
    await node.set('node:basics:node', 'from node-redis');
    assert(await node.get('node:basics:io') === 'from ioredis', 'node-redis reads what ioredis wrote');
    assert(await io.get('node:basics:node') === 'from node-redis', 'ioredis reads what node-redis wrote');
    const pipeline = io.pipeline();
    for (let i = 0; i < 100; i++) {
      pipeline.incr('node:basics:counter');
    }
    const results = await pipeline.exec();
    assert(results.every(([error]) => error === null), 'every pipelined INCR succeeded');
    return { counter: Number(await node.get('node:basics:counter')) };
  } finally {
    io.disconnect();
    await node.quit();
  }
});
