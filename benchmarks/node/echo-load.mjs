// A load generator that is not Weft: Node's `ws` client, closed loop, for benchmarks/compare.sh.
// Each connection keeps INFLIGHT messages on their way; each echo is checked byte for byte against
// what was sent (a mismatch counts as an error) and sends the next message. Prints one JSON object
// on standard output, in the shape of `weft bench --json`, and exits non-zero if it could not run
// the scenario as asked (no connection, or permessage-deflate not agreed).
//
//   node benchmarks/node/echo-load.mjs URL [--connections N] [--size BYTES] [--inflight K] [--binary]
//        [--deflate] [--duration S] [--warmup S] [--processes P]
//
// --deflate offers permessage-deflate (ws's defaults: level 6, context takeover, and ws's
// client_max_window_bits offer) and fails unless the server agrees it. --processes spreads the
// connections over P worker processes, since one Node event loop may not keep up with the server;
// their figures are added up. Latency runs from each send to its echo, measured time only.
// `ws` comes from interop-tests/node (npm ci --prefix interop-tests/node).
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { EchoPayload } from './echo-payload.mjs';
import { Histogram } from './histogram.mjs';

const require = createRequire(new URL('../../interop-tests/node/package.json', import.meta.url));
const WebSocket = require('ws');
const WS_VERSION = require('ws/package.json').version;

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    connections: { type: 'string', default: '100' },
    size: { type: 'string', default: '64' },
    inflight: { type: 'string', default: '1' },
    binary: { type: 'boolean', default: false },
    deflate: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '0' },
    processes: { type: 'string', default: '1' },
  },
});
const url = positionals[0];
if (!url) {
  console.error('usage: echo-load.mjs URL [--connections N] [--size BYTES] [--inflight K] [--binary] [--deflate] '
    + '[--duration S] [--warmup S] [--processes P]');
  process.exit(2);
}
const connections = Number(options.connections);
const size = Number(options.size);
const inflight = Number(options.inflight);

if (process.send) {
  await worker(Number(process.env.ECHO_LOAD_CONNECTIONS));
} else {
  await coordinator(Math.max(1, Math.min(Number(options.processes), connections)));
}

/**
 * Starts the workers, each with its share of the connections, and once all are connected runs
 * warm-up and measured time on one clock for all; then adds up their figures.
 */
async function coordinator(processes) {
  const workers = Array.from({ length: processes }, (_, i) => {
    const share = Math.floor(connections / processes) + (i < connections % processes ? 1 : 0);
    const child = fork(new URL(import.meta.url), process.argv.slice(2),
      { env: { ...process.env, ECHO_LOAD_CONNECTIONS: String(share) } });
    child.exited = new Promise((resolve) => child.on('exit', (code) => {
      if (code !== 0 && !child.finished) fail(`a worker process exited with ${code}`);
      resolve();
    }));
    return child;
  });
  const all = (type) => Promise.all(workers.map((child) => new Promise((resolve) => {
    child.on('message', function listen(message) {
      if (message.type === type) {
        child.off('message', listen);
        resolve(message);
      }
    });
  })));

  const ready = await all('ready');
  const opened = ready.reduce((n, message) => n + message.opened, 0);
  if (opened === 0) fail(`no connection to ${url} opened`);
  for (const child of workers) child.send({ type: 'go' });
  await sleep(Number(options.warmup));
  for (const child of workers) child.send({ type: 'measure' });
  await sleep(Number(options.duration));
  const done = all('result');
  for (const child of workers) child.send({ type: 'stop' });
  const results = (await done).map((message) => message.result);
  for (const child of workers) child.finished = true;
  // Reaped before this process ends, so their CPU time counts in its own (compare.sh reads it).
  await Promise.all(workers.map((child) => child.exited));

  const roundTrips = new Histogram();
  const connectTimes = new Histogram();
  const errors = { connect: 0, mismatch: 0, closed: 0, send: 0 };
  let seconds = 0;
  let messages = 0;
  let sent = 0;
  let cpuSeconds = 0;
  for (const r of results) {
    roundTrips.add(r.roundTrips);
    connectTimes.add(r.connectTimes);
    for (const kind of Object.keys(errors)) errors[kind] += r.errors[kind];
    seconds += r.seconds / results.length;
    messages += r.messages;
    sent += r.sent;
    cpuSeconds += r.cpuSeconds;
  }
  const extensions = ready.find((message) => message.extensions)?.extensions ?? '';
  const micros = (nanos) => (nanos / 1e3).toFixed(1);
  const latency = (h) => `{"p50":${micros(h.at(50))},"p90":${micros(h.at(90))},"p99":${micros(h.at(99))},`
    + `"p999":${micros(h.at(99.9))},"max":${micros(h.max)},"mean":${micros(h.mean())},"stdev":${micros(h.stdev())}}`;
  const totalErrors = errors.connect + errors.mismatch + errors.closed + errors.send;
  // The fields and their order of `weft bench --json` (compare.sh takes the first "p50" it finds),
  // then what only this generator says.
  console.log(`{"url":${JSON.stringify(url)},"connections":${opened},"size":${size},"binary":${options.binary},`
    + `"inflight":${inflight},"extensions":[${extensions ? JSON.stringify(extensions) : ''}],`
    + `"seconds":${seconds.toFixed(6)},"messages":${messages},"messagesPerSecond":${(messages / seconds).toFixed(1)},`
    + `"megabytesPerSecond":${((messages * size) / seconds / 1e6).toFixed(3)},"latencyMicros":${latency(roundTrips)},`
    + `"errors":${totalErrors},"errorDetail":${JSON.stringify(errors)},"latencyFrom":"send","rate":null,`
    + `"sent":${sent},"late":0,"skipped":0,"connectMicros":{"p50":${micros(connectTimes.at(50))},`
    + `"p99":${micros(connectTimes.at(99))},"max":${micros(connectTimes.max)}},`
    + `"load":"node ${process.version} ws ${WS_VERSION}","processes":${processes},"loadCpuSeconds":${cpuSeconds.toFixed(3)}}`);
  process.exit(0);
}

/** One worker process: opens its connections, then runs the closed loop on the coordinator's word. */
async function worker(count) {
  const payload = new EchoPayload(size, options.binary);
  const roundTrips = new Histogram();
  const connectTimes = new Histogram();
  const errors = { connect: 0, mismatch: 0, closed: 0, send: 0 };
  let running = false;
  let measuring = false;
  let stopping = false;
  let messages = 0;
  let sent = 0;
  let extensions = null;

  const sendNext = (c) => {
    const sequence = c.next++;
    c.sentAt[sequence % inflight] = process.hrtime.bigint();
    if (measuring) sent++;
    c.ws.send(payload.message(sequence), { binary: options.binary }, (error) => {
      if (error && !stopping) errors.send++;
    });
  };

  const open = () => new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const ws = new WebSocket(url, { perMessageDeflate: options.deflate });
    const c = { ws, open: false, next: 0, expected: 0, sentAt: new Array(inflight) };
    let agreed = '';
    ws.on('upgrade', (response) => { agreed = response.headers['sec-websocket-extensions'] ?? ''; });
    ws.on('open', () => {
      connectTimes.record(Number(process.hrtime.bigint() - started));
      if (options.deflate && !ws.extensions.split(',').includes('permessage-deflate')) {
        console.error(`echo-load: permessage-deflate was offered but not agreed by ${url} (extensions: "${agreed}")`);
        process.exit(3);
      }
      extensions = agreed;
      c.open = true;
      resolve(c);
    });
    ws.on('message', (data, isBinary) => {
      const sequence = c.expected++;
      if (!payload.matches(data, isBinary, sequence)) errors.mismatch++;
      if (measuring) {
        messages++;
        roundTrips.record(Number(process.hrtime.bigint() - c.sentAt[sequence % inflight]));
      }
      if (running) sendNext(c);
    });
    ws.on('error', () => {
      if (!c.open) {
        errors.connect++;
        resolve(null);
      }
    });
    ws.on('close', () => {
      if (c.open && !stopping) errors.closed++;
    });
  });

  process.on('disconnect', () => process.exit(1)); // the coordinator is gone
  const sockets = (await Promise.all(Array.from({ length: count }, open))).filter((c) => c !== null);
  let start = 0n;
  let cpu = null;
  process.on('message', (message) => {
    if (message.type === 'go') {
      running = true;
      for (const c of sockets) for (let i = 0; i < inflight; i++) sendNext(c);
    } else if (message.type === 'measure') {
      measuring = true;
      start = process.hrtime.bigint();
      cpu = process.cpuUsage();
    } else if (message.type === 'stop') {
      measuring = false;
      running = false;
      stopping = true;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const used = process.cpuUsage(cpu);
      for (const c of sockets) c.ws.terminate();
      process.send({ type: 'result', result: { seconds, messages, sent, errors, roundTrips, connectTimes,
        cpuSeconds: (used.user + used.system) / 1e6 } }, () => process.exit(0));
    }
  });
  process.send({ type: 'ready', opened: sockets.length, extensions });
}

function sleep(seconds) {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

function fail(reason) {
  console.error(`echo-load: ${reason}`);
  process.exit(1);
}
