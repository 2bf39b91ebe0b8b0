// A load generator that is not Weft: Node's `ws` client, closed loop. Each connection sends a text
// message of SIZE bytes, waits for its echo, checks it, and sends the next. Prints one JSON line.
//
//   node benchmarks/node/echo-load.mjs URL CONNECTIONS SIZE SECONDS [WARMUP_SECONDS]
//
// `ws` comes from interop-tests/node (npm ci --prefix interop-tests/node).
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../interop-tests/node/package.json', import.meta.url));
const WebSocket = require('ws');

const [url, connections = '100', size = '64', seconds = '10', warmup = '3'] = process.argv.slice(2);
const payload = 'x'.repeat(Number(size));
let counting = false;
let messages = 0;
let errors = 0;
const sockets = [];

await Promise.all(Array.from({ length: Number(connections) }, () => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('open', () => { sockets.push(ws); ws.send(payload); resolve(); });
  ws.on('message', (data) => {
    if (data.length !== payload.length) errors++;
    if (counting) messages++;
    ws.send(payload);
  });
  ws.on('error', reject);
})));

await new Promise((r) => setTimeout(r, Number(warmup) * 1000));
counting = true;
const start = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
counting = false;
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
for (const ws of sockets) ws.terminate();
console.log(JSON.stringify({ url, connections: Number(connections), size: Number(size), seconds: elapsed,
  messages, messagesPerSecond: messages / elapsed, errors }));
