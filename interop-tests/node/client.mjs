// A client on Node's ws library, for Weft's interop tests: connects to the URL given, sends text
// and binary messages of several sizes, checks each echo byte for byte, closes with 1000, and exits
// 0 only if everything came back. Compression follows the second argument, as in echo-server.mjs.
import { WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';

const [url, mode = 'takeover'] = process.argv.slice(2);
const perMessageDeflate = mode === 'none' ? false : {
  threshold: 0,
  serverNoContextTakeover: mode === 'no-takeover',
  clientNoContextTakeover: mode === 'no-takeover',
};
const socket = new WebSocket(url, { perMessageDeflate });
const sizes = [0, 1, 125, 126, 4096, 65535, 65536, 1024 * 1024];
const expected = [];
for (const size of sizes) {
  // JSON-like text compresses well; random bytes do not: both paths of the deflater get used.
  const text = ('{"kind":"sample","size":' + size + '} ').repeat(Math.ceil(size / 20) + 1).slice(0, size);
  expected.push({ binary: false, data: Buffer.from(text) });
  expected.push({ binary: true, data: randomBytes(size) });
}
let next = 0;
const fail = (why) => { console.error(why); process.exit(1); };
// The server's own words: the extensions it agreed to, parameters included.
socket.on('upgrade', (response) => console.log(`negotiated ${response.headers['sec-websocket-extensions'] ?? ''}`));
socket.on('open', () => {
  for (const m of expected) socket.send(m.data, { binary: m.binary });
});
socket.on('message', (data, isBinary) => {
  const want = expected[next++];
  if (isBinary !== want.binary || !Buffer.from(data).equals(want.data)) fail(`message ${next - 1} differs`);
  if (next === expected.length) socket.close(1000, 'done');
});
socket.on('close', (code) => {
  if (next !== expected.length) fail(`closed with ${code} after ${next} of ${expected.length} echoes`);
  console.log(`closed ${code}`);
  process.exit(code === 1000 ? 0 : 1);
});
socket.on('error', (e) => fail(`error: ${e.message}`));
