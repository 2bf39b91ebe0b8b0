// An echo server on Node's ws library, for Weft's interop tests: listens on 127.0.0.1 and an
// ephemeral port, prints "port N" once listening, and echoes every message as it came (text as
// text, binary as binary). Compression follows the first argument:
//   takeover    permessage-deflate with context takeover both ways (ws's default)
//   no-takeover permessage-deflate, asking both sides not to take over context
//   none        no permessage-deflate
import { WebSocketServer } from 'ws';

const mode = process.argv[2] ?? 'takeover';
const perMessageDeflate = mode === 'none' ? false : {
  threshold: 0, // compress every message, however small, so compression is always exercised
  serverNoContextTakeover: mode === 'no-takeover',
  clientNoContextTakeover: mode === 'no-takeover',
};
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate, maxPayload: 64 * 1024 * 1024 });
server.on('listening', () => console.log(`port ${server.address().port}`));
server.on('connection', (socket, request) => {
  console.log(`extensions ${request.headers['sec-websocket-extensions'] ?? ''} -> ${socket.extensions}`);
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
