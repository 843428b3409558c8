'use strict';
// A job queue on blocking commands through the proxy, default options: an ioredis producer, an
// ioredis consumer on BRPOPLPUSH (reliable queue: jobs/processing) and a node-redis consumer on
// BLPOP. Every job must be consumed exactly once.
const { ioredis, nodeRedis, assert, run } = require('./common');

const JOBS = 200;

run(async () => {
  const producer = ioredis();
  const ioConsumer = ioredis();
  const nodeConsumer = await nodeRedis();
  const seen = new Map();
  let producing = true;
  const take = (job) => seen.set(job, (seen.get(job) || 0) + 1);
  try {
    const viaIoredis = (async () => {
      for (;;) {
        const job = await ioConsumer.brpoplpush('{queue}:jobs', '{queue}:processing', 1);
        if (job === null) {
          if (!producing) return;
          continue;
        }
        take(job);
        await ioConsumer.lrem('{queue}:processing', 1, job);
      }
    })();
    const viaNodeRedis = (async () => {
      for (;;) {
        const popped = await nodeConsumer.blPop('{queue}:jobs', 1);
        if (popped === null) {
          if (!producing) return;
          continue;
        }
        assert(popped.key === '{queue}:jobs', 'BLPOP names its key');
        take(popped.element);
      }
    })();
    for (let i = 0; i < JOBS; i++) {
      await producer.lpush('{queue}:jobs', 'job-' + i);
      if (i % 50 === 0) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    producing = false;
    await Promise.all([viaIoredis, viaNodeRedis]);
    assert([...seen.values()].every((n) => n === 1), 'no job consumed twice');
    assert(await producer.llen('{queue}:processing') === 0, 'every job left processing');
    return { jobs: seen.size, consumedOnce: [...seen.values()].filter((n) => n === 1).length };
  } finally {
    producer.disconnect();
    ioConsumer.disconnect();
    await nodeConsumer.quit();
  }
});
