// The messages a load connection sends, and the byte-for-byte check of each echo: the same
// messages as `weft bench` sends (cli's EchoPayload). A fixed template of the chosen size whose first
// bytes carry the message's sequence number (16 hex digits for text, 8 bytes big-endian for binary)
// when it is large enough to hold them, so an echo that comes back out of order, truncated or
// altered is caught. Text is JSON-like ASCII, so that it compresses as API traffic does; binary
// takes every byte value, so it does not.

const TEXT_SEQUENCE = 16;
const BINARY_SEQUENCE = 8;

/** `size` ASCII characters of JSON-like records, the same every time (EchoPayload.jsonLike). */
export function jsonLike(size) {
  let s = '';
  for (let i = 0; s.length < size; i++) {
    s += `{"id":${1000 + i},"user":"user-${i % 97}","active":${i % 3 !== 0},"score":${(i * 37) % 1000},`
      + '"tags":["alpha","beta"]},';
  }
  return s.substring(0, size);
}

export class EchoPayload {
  constructor(size, binary) {
    this.size = size;
    this.binary = binary;
    if (binary) {
      this.template = Buffer.alloc(size);
      for (let i = 0; i < size; i++) this.template[i] = (i * 31 + (i >>> 8)) & 0xff;
    } else {
      this.template = Buffer.from(jsonLike(size), 'latin1');
    }
    const sequenceLength = binary ? BINARY_SEQUENCE : TEXT_SEQUENCE;
    this.prefix = size >= sequenceLength ? sequenceLength : 0;
    this.expected = Buffer.alloc(this.prefix);
  }

  /** Message `sequence`, in a new buffer: ws may hold it until written (or compressed). */
  message(sequence) {
    const message = Buffer.from(this.template);
    this.#writeSequence(message, sequence);
    return message;
  }

  /** Whether `echo` (a Buffer, `isBinary` as ws reports it) is message `sequence`, byte for byte. */
  matches(echo, isBinary, sequence) {
    if (isBinary !== this.binary || echo.length !== this.size) return false;
    this.#writeSequence(this.expected, sequence);
    return echo.compare(this.expected, 0, this.prefix, 0, this.prefix) === 0
      && echo.compare(this.template, this.prefix, this.size, this.prefix, this.size) === 0;
  }

  #writeSequence(buffer, sequence) {
    if (this.prefix === 0) return;
    if (this.binary) {
      buffer.writeUInt32BE(Math.floor(sequence / 2 ** 32), 0);
      buffer.writeUInt32BE(sequence >>> 0, 4);
    } else {
      buffer.write(sequence.toString(16).padStart(TEXT_SEQUENCE, '0'), 0, TEXT_SEQUENCE, 'latin1');
    }
  }
}
