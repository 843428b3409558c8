'use strict';
// Shared by the scripts in this folder: where the proxy is (from the environment the C# test
// sets), clients made with default options, and one JSON result line on stdout. A script fails by
// throwing: the runner prints the error and exits 1, which the C# test reports with stderr.
const Redis = require('ioredis');
const { createClient } = require('redis');

const host = process.env.REDIS_HOST || '127.0.0.1';
const port = Number(process.env.REDIS_PORT || 6379);
const password = process.env.REDIS_PASSWORD || undefined;

/** An ioredis client with default options (only where the server is and its password). */
function ioredis() {
  return new Redis({ host, port, password });
}

/** A node-redis client with default options, connected. */
async function nodeRedis() {
  const client = createClient({ socket: { host, port }, password });
  client.on('error', () => {}); // reconnects are the library's business; failures surface as rejected commands
  await client.connect();
  return client;
}

function assert(condition, message) {
  if (!condition) {
    throw new Error('assertion failed: ' + message);
  }
}

/** Runs main, prints its result as one JSON line and exits 0, or prints the error and exits 1. */
function run(main) {
  const timer = setTimeout(() => {
    console.error('timed out after ' + (process.env.SCRIPT_TIMEOUT_MS || 60000) + ' ms');
    process.exit(2);
  }, Number(process.env.SCRIPT_TIMEOUT_MS || 60000));
  main().then(
    (result) => {
      clearTimeout(timer);
      console.log(JSON.stringify(result === undefined ? {} : result));
      process.exit(0);
    },
    (error) => {
      clearTimeout(timer);
      console.error(error && error.stack ? error.stack : String(error));
      process.exit(1);
    });
}

module.exports = { ioredis, nodeRedis, assert, run, host, port };
