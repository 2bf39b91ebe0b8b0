package dev.weft.benchmarks;

import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.frame.MaskKeySource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One binary frame through Weft's {@link FrameDecoder} and {@link FrameEncoder}, per role: frames
 * per second. A server decodes masked frames (unmasking them in place) and encodes a header to go
 * before the untouched payload; a client decodes unmasked frames and encodes a masked copy of the
 * payload with a key from {@link MaskKeySource#secure()}.
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per frame.
 *
 * <p>The decoder reads from a direct buffer, as a transport's read buffer is; its listener only
 * counts the payload bytes, so the score is the decoder's own cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FramingBenchmark {

    @Param({"64", "1024", "65536"})
    public int size;

    /** The endpoint that decodes or encodes. */
    @Param({"SERVER", "CLIENT"})
    public Role role;

    private static final int MAX_FRAME_SIZE = 16 * 1024 * 1024;
    private static final int FIRST_BYTE = FrameEncoder.firstByte(true, 0, Opcode.BINARY.code());

    private FrameDecoder decoder;
    private PayloadCounter listener;
    private ByteBuffer wire;
    private FrameEncoder encoder;
    private ByteBuffer payload;

    @Setup
    public void setUp() {
        byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        payload = ByteBuffer.wrap(bytes);

        // A frame as the peer would send it: masked if the peer is a client.
        Role peer = role == Role.SERVER ? Role.CLIENT : Role.SERVER;
        FrameEncoder peerEncoder = new FrameEncoder(peer, () -> 0x37FA213D);
        ByteBuffer head = peerEncoder.encode(FIRST_BYTE, payload);
        wire = ByteBuffer.allocateDirect(head.remaining() + (peerEncoder.masks() ? 0 : size));
        wire.put(head);
        if (!peerEncoder.masks()) {
            wire.put(payload.duplicate());
        }
        wire.flip();

        decoder = new FrameDecoder(role, MAX_FRAME_SIZE);
        listener = new PayloadCounter();
        encoder = new FrameEncoder(role, MaskKeySource.secure());
    }

    /**
     * Decodes the one frame in the input. A server's decoder unmasks the payload in place, so the
     * next call unmasks the result again: the bytes differ each time, the work does not.
     */
    @Benchmark
    public long decode() {
        decoder.decode(wire.clear(), listener);
        return listener.payloadBytes;
    }

    /** Encodes a frame of the payload: a header for a server, the whole masked frame for a client. */
    @Benchmark
    public ByteBuffer encode() {
        return encoder.encode(FIRST_BYTE, payload);
    }

    /** Counts payload bytes and frames, nothing more. */
    static final class PayloadCounter implements FrameDecoder.Listener {
        long payloadBytes;
        long frames;

        @Override
        public void onFrameHeader(boolean fin, int rsv, Opcode opcode, long payloadLength) {
        }

        @Override
        public void onFramePayload(ByteBuffer chunk) {
            payloadBytes += chunk.remaining();
        }

        @Override
        public boolean onFrameEnd() {
            frames++;
            return true;
        }
    }
}
