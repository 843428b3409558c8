'use strict';
// MULTI/EXEC and WATCH through the proxy with ioredis and node-redis, default options.
const { ioredis, nodeRedis, assert, run } = require('./common');

run(async () => {
  const io = ioredis();
  const io2 = ioredis();
  const node = await nodeRedis();
  const node2 = await nodeRedis();
  try {
    // ioredis: multi().exec() gives [error, result] pairs.
    const results = await io.multi().set('{tx:io}:n', '10').incr('{tx:io}:n').get('{tx:io}:n').exec();
    assert(JSON.stringify(results) === '[[null,"OK"],[null,11],[null,"11"]]', 'ioredis multi: ' + JSON.stringify(results));

    // ioredis watch: another client's write aborts (exec resolves null), then a retry commits.
    await io.watch('{tx:io}:n');
    await io2.set('{tx:io}:n', '11');
    const aborted = await io.multi().incr('{tx:io}:n').exec();
    assert(aborted === null, 'ioredis watch conflict gives null, got ' + JSON.stringify(aborted));
    await io.watch('{tx:io}:n');
    const committed = await io.multi().incr('{tx:io}:n').exec();
    assert(JSON.stringify(committed) === '[[null,12]]', 'ioredis watch commit: ' + JSON.stringify(committed));

    // node-redis: multi().exec() gives the replies; a watch conflict rejects with WatchError.
    const replies = await node.multi().set('{tx:node}:n', '20').incr('{tx:node}:n').exec();
    assert(JSON.stringify(replies) === '["OK",21]', 'node-redis multi: ' + JSON.stringify(replies));
    await node.watch('{tx:node}:n');
    await node2.set('{tx:node}:n', '21');
    let conflict = null;
    try {
      await node.multi().incr('{tx:node}:n').exec();
    } catch (error) {
      conflict = error;
    }
    assert(conflict && conflict.constructor.name === 'WatchError', 'node-redis watch conflict rejects with WatchError, got ' + (conflict && conflict.constructor.name));
    await node.watch('{tx:node}:n');
    const after = await node.multi().incr('{tx:node}:n').exec();
    assert(JSON.stringify(after) === '[22]', 'node-redis watch commit: ' + JSON.stringify(after));

    return { io: await node.get('{tx:io}:n'), node: await io.get('{tx:node}:n') };
  } finally {
    io.disconnect();
    io2.disconnect();
    await node.quit();
    await node2.quit();
  }
});
