'use strict';
// Pub/sub through the proxy with ioredis and node-redis, default options: each subscribes to a
// channel, a pattern and a shard channel; another connection publishes; every message must
// arrive exactly once (counted after a pause that would let duplicates in).
const { ioredis, nodeRedis, assert, run } = require('./common');

const MESSAGES = 10;

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(counts, what) {
  const deadline = Date.now() + 15000;
  while (!(counts.message >= MESSAGES && counts.pmessage >= MESSAGES && counts.smessage >= MESSAGES)) {
    assert(Date.now() < deadline, what + ' received ' + JSON.stringify(counts));
    await sleep(20);
  }
}

run(async () => {
  const publisher = ioredis();
  const ioSub = ioredis();
  const nodeBase = await nodeRedis();
  const nodeSub = nodeBase.duplicate();
  nodeSub.on('error', () => {});
  await nodeSub.connect();
  try {
    const io = { message: 0, pmessage: 0, smessage: 0 };
    const node = { message: 0, pmessage: 0, smessage: 0 };
    const expected = (i) => 'payload ' + i;

    ioSub.on('message', (channel, message) => {
      assert(channel === 'node:ch' && message === expected(io.message), 'ioredis message in order: ' + message);
      io.message++;
    });
    ioSub.on('pmessage', (pattern, channel, message) => {
      assert(pattern === 'node:c*' && channel === 'node:ch' && message === expected(io.pmessage), 'ioredis pmessage in order: ' + message);
      io.pmessage++;
    });
    ioSub.on('smessage', (channel, message) => {
      assert(channel === 'node:sch' && message === expected(io.smessage), 'ioredis smessage in order: ' + message);
      io.smessage++;
    });
    assert(await ioSub.subscribe('node:ch') === 1, 'ioredis: subscribed to one channel');
    assert(await ioSub.psubscribe('node:c*') === 2, 'ioredis: one channel and one pattern');
    assert(await ioSub.ssubscribe('node:sch') === 1, 'ioredis: one shard channel');

    await nodeSub.subscribe('node:ch', (message, channel) => {
      assert(channel === 'node:ch' && message === expected(node.message), 'node-redis message in order: ' + message);
      node.message++;
    });
    await nodeSub.pSubscribe('node:c*', (message, channel) => {
      assert(channel === 'node:ch' && message === expected(node.pmessage), 'node-redis pmessage in order: ' + message);
      node.pmessage++;
    });
    await nodeSub.sSubscribe('node:sch', (message, channel) => {
      assert(channel === 'node:sch' && message === expected(node.smessage), 'node-redis smessage in order: ' + message);
      node.smessage++;
    });

    // Both clients' subscriptions are this proxy's: NUMSUB counts its clients.
    const numsub = await publisher.pubsub('NUMSUB', 'node:ch');
    assert(numsub[1] === 2, 'two subscribers of node:ch: ' + JSON.stringify(numsub));

    for (let i = 0; i < MESSAGES; i++) {
      await publisher.publish('node:ch', expected(i));
      await publisher.spublish('node:sch', expected(i));
    }

    await waitFor(io, 'ioredis');
    await waitFor(node, 'node-redis');
    await sleep(300);
    return { ioredis: io, nodeRedis: node };
  } finally {
    publisher.disconnect();
    ioSub.disconnect();
    await nodeSub.quit();
    await nodeBase.quit();
  }
});
