// Node's `ws` as a peer echo server for benchmarks/compare.sh, beside Weft, Netty and Jetty: every
// text and binary message goes back whole, as it came, with permessage-deflate on offer as the JVM
// servers offer it (level 6, context takeover both ways unless the client asks otherwise, a
// 32 KiB window, messages under 64 bytes sent uncompressed as Weft does), 16 MiB messages, on any
// path. ws answers pings and the close handshake itself.
//
//   node benchmarks/node/echo-server.mjs [--port N]
//
// Binds 127.0.0.1 only and prints `listening on 127.0.0.1:PORT` on standard output once it accepts
// connections; runs until killed. One event loop: ws runs zlib on libuv's thread pool.
// `ws` comes from interop-tests/node (npm ci --prefix interop-tests/node).
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../../interop-tests/node/package.json', import.meta.url));
const { WebSocketServer } = require('ws');

const MAX_MESSAGE_SIZE = 16 * 1024 * 1024;
// Over this much waiting to be written, a connection stops being read until its echoes are out
// (Netty's default high-water mark), so a client that does not read cannot grow the server.
const HIGH_WATER = 64 * 1024;

const { values: options } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const server = new WebSocketServer({
  host: '127.0.0.1',
  port: Number(options.port),
  maxPayload: MAX_MESSAGE_SIZE,
  perMessageDeflate: { threshold: 64, zlibDeflateOptions: { level: 6 } },
});
server.on('listening', () => console.log(`listening on 127.0.0.1:${server.address().port}`));
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    socket.send(data, { binary: isBinary }, () => {
      if (socket.isPaused && socket.bufferedAmount <= HIGH_WATER) socket.resume();
    });
    if (socket.bufferedAmount > HIGH_WATER) socket.pause();
  });
  socket.on('error', () => socket.terminate());
});
