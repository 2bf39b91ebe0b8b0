// A hand-written client for Weft's interop tests: connects to the echo server at the URL given,
// agrees permessage-deflate, sends the messages of raw-websocket.mjs each compressed by
// zlib.deflateRawSync (so each ends with a BFINAL block), checks each echo byte for byte, closes
// with 1000, and exits 0 only if everything came back. The second argument says whether the server
// may take over its compression context for what this client sends:
//   takeover     the server's inflater keeps its context between messages
//   no-takeover  client_no_context_takeover: the server resets it after each message
// It always asks for server_no_context_takeover, so each echo can be inflated on its own.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  acceptKey, closeFrame, compressedFrames, frame, header, messages, readHead, Reader, CLOSE, PING, PONG,
} from './raw-websocket.mjs';

const [url, mode = 'takeover'] = process.argv.slice(2);
const { hostname, port, pathname } = new URL(url);
const expected = messages();
const key = randomBytes(16).toString('base64');
let next = 0;
let closing = false;

const fail = (why) => { console.error(why); process.exit(1); };
setTimeout(() => fail('no close within 60 s'), 60_000).unref();

const socket = net.connect(Number(port), hostname, () => {
  socket.write(`GET ${pathname} HTTP/1.1\r\n`
    + `Host: ${hostname}:${port}\r\n`
    + 'Upgrade: websocket\r\n'
    + 'Connection: Upgrade\r\n'
    + `Sec-WebSocket-Key: ${key}\r\n`
    + 'Sec-WebSocket-Version: 13\r\n'
    + 'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover'
    + (mode === 'no-takeover' ? '; client_no_context_takeover' : '') + '\r\n'
    + '\r\n');
});

const reader = new Reader((opcode, data) => {
  const want = expected[next++];
  if (!want || opcode !== want.opcode || !data.equals(want.data)) fail(`echo ${next - 1} differs`);
  if (next === expected.length) {
    closing = true;
    socket.write(closeFrame(1000, 'done', true));
  }
}, (opcode, payload) => {
  if (opcode === PING) socket.write(frame(true, false, PONG, payload, true));
  if (opcode !== CLOSE) return;
  const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
  if (!closing || next !== expected.length) fail(`closed with ${code} after ${next} of ${expected.length} echoes`);
  console.log(`closed ${code}`);
  process.exit(code === 1000 ? 0 : 1);
});

readHead(socket, (head) => {
  if (!head.startsWith('HTTP/1.1 101')) fail(`not upgraded: ${head}`);
  if (header(head, 'Sec-WebSocket-Accept') !== acceptKey(key)) fail(`wrong accept key: ${head}`);
  console.log(`negotiated ${header(head, 'Sec-WebSocket-Extensions')}`);
  for (const m of expected) for (const f of compressedFrames(m, true)) socket.write(f);
}, (data) => reader.push(data));
socket.on('error', (e) => fail(`error: ${e.message}`));
socket.on('close', () => fail(`connection closed after ${next} of ${expected.length} echoes, without a close frame`));
