// A hand-written server for Weft's interop tests: listens on 127.0.0.1 and an ephemeral port,
// prints "port N" once listening, agrees permessage-deflate with each client, sends it the
// messages of raw-websocket.mjs each compressed by zlib.deflateRawSync (so each ends with a BFINAL
// block), and answers its close. The first argument says whether this server tells the client that
// it takes over its compression context:
//   takeover     permessage-deflate as offered: the client's inflater keeps its context
//   no-takeover  server_no_context_takeover and client_no_context_takeover: the client resets it
//                after each message
// It stops at the end of its standard input.
import net from 'node:net';
import {
  acceptKey, closeFrame, compressedFrames, frame, header, messages, readHead, Reader, CLOSE, PING, PONG,
} from './raw-websocket.mjs';

const mode = process.argv[2] ?? 'takeover';
const extensions = mode === 'no-takeover'
  ? 'permessage-deflate; server_no_context_takeover; client_no_context_takeover'
  : 'permessage-deflate';

const server = net.createServer((socket) => {
  const reader = new Reader(() => {}, (opcode, payload) => {
    if (opcode === PING) socket.write(frame(true, false, PONG, payload, false));
    if (opcode !== CLOSE) return;
    const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1000;
    socket.end(closeFrame(code, 'bye', false));
  });
  readHead(socket, (head) => {
    console.error(`extensions ${header(head, 'Sec-WebSocket-Extensions')} -> ${extensions}`);
    socket.write('HTTP/1.1 101 Switching Protocols\r\n'
      + 'Upgrade: websocket\r\n'
      + 'Connection: Upgrade\r\n'
      + `Sec-WebSocket-Accept: ${acceptKey(header(head, 'Sec-WebSocket-Key'))}\r\n`
      + `Sec-WebSocket-Extensions: ${extensions}\r\n`
      + '\r\n');
    for (const m of messages()) for (const f of compressedFrames(m, false)) socket.write(f);
  }, (data) => reader.push(data));
  socket.on('error', (e) => console.error(`error: ${e.message}`));
});
server.listen(0, '127.0.0.1', () => console.log(`port ${server.address().port}`));
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
