package dev.weft.benchmarks;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.Utf8TextHandler;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.Headers;
import dev.weft.benchmarks.support.DiscardingSink;
import dev.weft.benchmarks.support.InlineScheduler;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.handshake.ClientHandshake;
import dev.weft.core.handshake.ServerHandshake;
import dev.weft.core.session.Session;
import dev.weft.core.session.SessionOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A server {@link Session} echoing messages, with no network: each operation reads one masked
 * client frame into a direct buffer (standing in for the socket read), hands it to the session,
 * and the handler sends the message back to a transport that takes every byte at once.
 *
 * <p>Run it with {@code -prof gc}: {@code gc.alloc.rate.norm} is what one echoed message allocates
 * in the steady state. With {@code echo=bytes} the message itself accounts for one payload, the copy
 * handed to the handler; with {@code echo=string} a text costs three (the copy, the String, its
 * UTF-8 encoding on the way out). Anything beyond that is overhead per message. Text is ASCII; no
 * extension is negotiated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EchoAllocationBenchmark {

    @Param({"64", "1024", "65536"})
    public int size;

    /**
     * {@code bytes}: the demo server's echo, text taken as UTF-8 bytes and sent back without a
     * future; {@code string}: text as a {@code String}, sends with futures.
     */
    @Param({"bytes", "string"})
    public String echo;

    private static final int MASK_KEY = 0x37FA213D;

    private DiscardingSink sink;
    private Session session;
    private byte[] textFrame;
    private byte[] binaryFrame;
    private ByteBuffer readBuffer;

    @Setup
    public void setUp() {
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of()).build();
        ClientHandshake client = new ClientHandshake(URI.create("ws://127.0.0.1:8080/echo"), Headers.empty(), config,
                new Random(1));
        ServerHandshake.Accepted accepted =
                (ServerHandshake.Accepted) new ServerHandshake(config, List.of()).answer(client.request());
        sink = new DiscardingSink();
        session = new Session(Role.SERVER, config, accepted.agreement(), echo.equals("bytes") ? new Echo() : new StringEcho(), sink, new InlineScheduler(),
                SessionOptions.DEFAULT);
        session.start();

        byte[] text = new byte[size];
        for (int i = 0; i < size; i++) {
            text[i] = (byte) ('a' + i % 26);
        }
        FrameEncoder clientEncoder = new FrameEncoder(Role.CLIENT, () -> MASK_KEY);
        textFrame = frame(clientEncoder, Opcode.TEXT, text);
        binaryFrame = frame(clientEncoder, Opcode.BINARY, text);
        readBuffer = ByteBuffer.allocateDirect(Math.max(textFrame.length, binaryFrame.length));

        // One of each before measuring, to be sure that what is measured is an echo.
        long before = sink.bytes();
        echoText();
        echoBinary();
        // The server's frames are the client's less the 4-byte masking key.
        if (sink.frames() != 2 || sink.bytes() - before != 2L * (textFrame.length - 4)) {
            throw new IllegalStateException("no echo: " + sink.frames() + " frames, " + sink.bytes() + " bytes");
        }
    }

    private static byte[] frame(FrameEncoder encoder, Opcode opcode, byte[] payload) {
        ByteBuffer frame = encoder.encode(FrameEncoder.firstByte(true, 0, opcode.code()), ByteBuffer.wrap(payload));
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return bytes;
    }

    @TearDown(Level.Trial)
    public void checkStillOpen() {
        ConnectionState state = session.connection().state();
        if (state != ConnectionState.OPEN || sink.closed()) {
            throw new IllegalStateException("the session left OPEN: " + state);
        }
    }

    @Benchmark
    public long echoText() {
        return receive(textFrame);
    }

    @Benchmark
    public long echoBinary() {
        return receive(binaryFrame);
    }

    private long receive(byte[] frame) {
        // The masked bytes are unmasked in place, so each read brings a fresh copy.
        readBuffer.clear();
        readBuffer.put(frame).flip();
        session.receive(readBuffer);
        return sink.frames();
    }

    /** Sends every message back as it came, as the demo server's echo does: text as its UTF-8 bytes, no futures. */
    private static final class Echo implements Utf8TextHandler {
        @Override
        public void onUtf8Text(Connection connection, ByteBuffer utf8) {
            connection.trySendUtf8Text(utf8);
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            connection.trySendBinary(data);
        }
    }

    /** The echo before the zero-allocation API: a String in, a String and a future out. */
    private static final class StringEcho implements WebSocketHandler {
        @Override
        public void onText(Connection connection, String text) {
            connection.sendText(text);
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            connection.sendBinary(data);
        }
    }
}
