// Just enough of RFC 6455 and RFC 7692, written by hand over a plain TCP socket, to send what the
// ws library never sends: messages compressed by zlib.deflateRawSync, whose DEFLATE data ends in a
// block with BFINAL set (RFC 7692 §7.2.3.4) and so needs no tail removed. Shared by
// final-block-client.mjs and final-block-server.mjs; the Java test knows the same messages.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);
export const TEXT = 0x1;
export const BINARY = 0x2;
export const CONTINUATION = 0x0;
export const CLOSE = 0x8;
export const PING = 0x9;
export const PONG = 0xa;

/** Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2). */
export const acceptKey = (key) => createHash('sha1').update(key + GUID).digest('base64');

/** ASCII text of exactly `size` bytes, "abc...zab...", as the Java test's Payloads.ascii. */
export const ascii = (size) => Buffer.from(Array.from({ length: size }, (_, i) => 97 + (i % 26)));

/** `size` bytes that do not compress: SHA-256 of "size:0", "size:1", ... joined and cut. */
export function binary(size) {
  const blocks = [];
  for (let k = 0; k * 32 < size; k++) blocks.push(createHash('sha256').update(`${size}:${k}`).digest());
  return Buffer.concat(blocks).subarray(0, size);
}

/**
 * The messages both scripts send, in order: a text and a binary message of each size, then a text
 * message whose compressed data is split over two frames. Each is compressed on its own with
 * deflateRawSync, so each ends its DEFLATE stream with a final block.
 */
export function messages() {
  const list = [];
  for (const size of [0, 1, 125, 126, 4096, 65536, 1024 * 1024]) {
    list.push({ opcode: TEXT, data: ascii(size) });
    list.push({ opcode: BINARY, data: binary(size) });
  }
  list.push({ opcode: TEXT, data: ascii(10000), split: true });
  return list;
}

/** The frames of one message, compressed: RSV1 on the first frame only (RFC 7692 §6). */
export function compressedFrames(message, masked) {
  const payload = zlib.deflateRawSync(message.data);
  if (!message.split) return [frame(true, true, message.opcode, payload, masked)];
  const half = payload.length >> 1;
  return [frame(false, true, message.opcode, payload.subarray(0, half), masked),
    frame(true, false, CONTINUATION, payload.subarray(half), masked)];
}

/** One frame's bytes; a client's are masked (RFC 6455 §5.3). */
export function frame(fin, rsv1, opcode, payload, masked) {
  const head = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode];
  const maskBit = masked ? 0x80 : 0;
  let length;
  if (payload.length < 126) {
    head.push(maskBit | payload.length);
    length = Buffer.alloc(0);
  } else if (payload.length < 65536) {
    head.push(maskBit | 126);
    length = Buffer.alloc(2);
    length.writeUInt16BE(payload.length);
  } else {
    head.push(maskBit | 127);
    length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(payload.length));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), length, payload]);
  const key = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), length, key, body]);
}

/** A close frame with a status code and a reason. */
export function closeFrame(code, reason, masked) {
  const payload = Buffer.concat([Buffer.alloc(2), Buffer.from(reason)]);
  payload.writeUInt16BE(code);
  return frame(true, false, CLOSE, payload, masked);
}

/**
 * Splits the bytes after the HTTP head into frames and data frames into messages, inflating a
 * message with RSV1 set as RFC 7692 §7.2.2 says. The peer must not take over context, since each
 * message is inflated on its own. Calls onMessage(opcode, data) and onControl(opcode, payload).
 */
export class Reader {
  constructor(onMessage, onControl) {
    this.buffer = Buffer.alloc(0);
    this.fragments = [];
    this.onMessage = onMessage;
    this.onControl = onControl;
  }

  push(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (let f = this.next(); f; f = this.next()) {
      if (f.opcode >= CLOSE) {
        this.onControl(f.opcode, f.payload);
        continue;
      }
      if (f.opcode !== CONTINUATION) {
        this.opcode = f.opcode;
        this.compressed = f.rsv1;
      }
      this.fragments.push(f.payload);
      if (!f.fin) continue;
      const data = Buffer.concat(this.fragments);
      this.fragments = [];
      this.onMessage(this.opcode, this.compressed
        ? zlib.inflateRawSync(Buffer.concat([data, TAIL]), { finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : data);
    }
  }

  next() {
    const b = this.buffer;
    if (b.length < 2) return null;
    let length = b[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return null;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return null;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = (b[1] & 0x80) !== 0;
    const key = masked ? b.subarray(offset, offset + 4) : null;
    if (masked) offset += 4;
    if (b.length < offset + length) return null;
    const payload = Buffer.from(b.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
    this.buffer = b.subarray(offset + length);
    return { fin: (b[0] & 0x80) !== 0, rsv1: (b[0] & 0x40) !== 0, opcode: b[0] & 0x0f, payload };
  }
}

/** Calls onHead(head, rest) once the HTTP head has arrived on `socket`, and rest on later data to onData. */
export function readHead(socket, onHead, onData) {
  let pending = Buffer.alloc(0);
  let done = false;
  socket.on('data', (chunk) => {
    if (done) return onData(chunk);
    pending = Buffer.concat([pending, chunk]);
    const end = pending.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    done = true;
    onHead(pending.subarray(0, end).toString('latin1'));
    return onData(pending.subarray(end + 4));
  });
}

/** A header's value from an HTTP head, matched without regard to case; '' if absent. */
export function header(head, name) {
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'));
  return line ? line.slice(name.length + 1).trim() : '';
}
