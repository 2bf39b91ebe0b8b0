package dev.weft.core.session;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.weft.api.CloseCodes;
import dev.weft.api.ConnectionState;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.core.handshake.Agreement;
import dev.weft.testing.loop.ManualScheduler;
import dev.weft.core.test.FuzzInput;
import dev.weft.core.test.FuzzSeed;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness of the session fuzz targets (docs/fuzzing.md): a real {@link Session} of one role,
 * with the extensions a target agreed, on a {@link ManualScheduler} and a {@link WireSink}, fed
 * arbitrary bytes as if they followed the opening handshake, in arbitrary chunks, with a local
 * close or the passing of time between some of them. At the end the input ends (or the idle
 * timeout passes) and every timer runs.
 *
 * <p>It asserts the session's contract:
 * <ul>
 * <li>{@code receive} never throws;
 * <li>the handler sees {@code onOpen} once, {@code onClose} once by the end and never before
 *     {@code onOpen}, {@code onError} at most once, no event after {@code onClose}
 *     ({@link ContractHandler});
 * <li>a failure's close code is one the design brief's "Bad input" table gives for bad input
 *     ({@link #BAD_INPUT_CODES}: never 1011), and the close frame written carries it; any other
 *     close frame is the local close or the echo of the peer's code;
 * <li>what the session wrote is a well-formed stream of frames of its role, nothing after the close
 *     frame, and no partial frame at the end ({@link WrittenFrames}); with no extension, its data
 *     frames carry exactly the bytes and messages the handler echoed while open; at most one
 *     automatic pong waits at a time, and nothing is written once the transport is closed
 *     ({@link WireSink});
 * <li>after every read the session's holdings equal what its memory budget was told, and stay
 *     within twice the bytes received plus small first buffers, queued output and extension
 *     contexts; at the end the budget has all of it back;
 * <li>at the end the session is closed, its transport closed or aborted, and no timer is left.
 * </ul>
 *
 * <p>Input layout, in consumption order: max frame size − 125 (2 bytes), max message size (3
 * bytes), fragments per message, handler kind (0 whole, 1 partial, 2 observing), echo, auto-pong,
 * end with end of input (else the idle timeout); then per chunk an action ({@link #action}) and the
 * chunk as {@link FuzzInput#chunks} reads it.
 */
public final class SessionFuzzing {

    /**
     * The close codes bad input may lead to, after the design brief's "Bad input" table: 1002
     * malformed frames and close codes, 1007 invalid UTF-8, 1009 over a size or fragment limit, 1008
     * a policy (write queue, fragments) and 1008 or 1013 the memory budget.
     */
    public static final Set<Integer> BAD_INPUT_CODES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD,
            CloseCodes.MESSAGE_TOO_BIG, CloseCodes.POLICY_VIOLATION, CloseCodes.TRY_AGAIN_LATER);

    /** The reason of the harness's own close, so its close frame is told from an echo. */
    private static final String LOCAL_REASON = "harness";

    private static final int FEED = 0;
    private static final int FEED_AND_FLUSH = 1;
    private static final int CLOSE_THEN_FEED = 2;
    private static final int WAIT_THEN_FEED = 3;

    private final WebSocketConfig config;
    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<String> violations;
    private final ContractHandler handler;
    private final WireSink sink;
    private final WrittenFrames written;
    private final boolean plain;
    private final Session session;
    /** Never full: the books are checked, not the policy. */
    private final MemoryBudget budget = new MemoryBudget(MemoryBudget.UNLIMITED);
    private long received;

    private SessionFuzzing(Role role, WebSocketConfig config, ContractHandler handler, List<Extension> extensions) {
        this.config = config;
        this.handler = handler;
        this.violations = handler.violations();
        this.sink = new WireSink(violations);
        int rsv = 0;
        for (Extension e : extensions) {
            rsv |= e.rsv();
        }
        this.written = new WrittenFrames(role, rsv, violations);
        this.plain = extensions.isEmpty();
        HandshakeRequest request = new HandshakeRequest("GET", "/", "HTTP/1.1", Headers.empty());
        HandshakeResponse response = new HandshakeResponse(101, "Switching Protocols", Headers.empty());
        Agreement agreement = new Agreement(request, response, null, extensions, Map.of());
        this.session = new Session(role, config, agreement, handler, sink, scheduler,
                SessionOptions.DEFAULT.budget(budget).maskKeys(() -> 0x37FA213D));
    }

    /**
     * Runs one input against a session of {@code role}.
     *
     * @param extensions makes the agreed extensions for the session's limits (in the server's order)
     */
    public static void run(FuzzedDataProvider data, Role role, Function<ExtensionContext, List<Extension>> extensions) {
        int maxFrameSize = 125 + data.consumeInt(0, 0xFFFF);
        int maxMessageSize = data.consumeInt(1, 0xFFFFFF);
        int maxFragments = data.consumeInt(1, 255);
        int kind = data.consumeInt(0, 2);
        boolean echo = data.consumeBoolean();
        boolean autoPong = data.consumeBoolean();
        boolean endOfInput = data.consumeBoolean();
        WebSocketConfig config = WebSocketConfig.builder().maxFrameSize(maxFrameSize).maxMessageSize(maxMessageSize)
                .maxFragmentsPerMessage(maxFragments).autoPong(autoPong).extensions(List.of()).build();
        ContractHandler handler = switch (kind) {
            case 0 -> ContractHandler.whole(config.maxMessageSize(), echo);
            case 1 -> ContractHandler.partial(config.maxMessageSize(), echo);
            default -> ContractHandler.observing(config.maxMessageSize(), echo);
        };
        ExtensionContext context = new ExtensionContext(role, config.maxFrameSize(), config.maxMessageSize());
        new SessionFuzzing(role, config, handler, extensions.apply(context)).feed(data, endOfInput);
    }

    /** The per-chunk action, as {@code consumeInt(0, 15)} reads it: mostly feeding, sometimes more. */
    private static int action(int choice) {
        return choice < 8 ? FEED : choice < 14 ? FEED_AND_FLUSH : choice == 14 ? CLOSE_THEN_FEED : WAIT_THEN_FEED;
    }

    private void feed(FuzzedDataProvider data, boolean endOfInput) {
        session.start();
        while (data.remainingBytes() > 0) {
            int action = action(data.consumeInt(0, 15));
            byte[] chunk = data.consumeBytes(data.consumeInt(1, FuzzInput.MAX_CHUNK));
            if (action == CLOSE_THEN_FEED) {
                session.connection().close(CloseCodes.NORMAL_CLOSURE, LOCAL_REASON);
            } else if (action == WAIT_THEN_FEED) {
                scheduler.advance(config.closeTimeout());
            }
            ByteBuffer in = FuzzInput.offsetBuffer(chunk);
            received += chunk.length;
            session.receive(in);
            assertEquals(0, in.remaining(), "receive left input unread");
            if (action == FEED_AND_FLUSH) {
                sink.flush();
            }
            afterEachChunk();
        }
        sink.flush();
        if (endOfInput) {
            session.endOfInput();
        }
        scheduler.advance(config.idleTimeout().plus(config.closeTimeout()).plus(Duration.ofSeconds(1)));
        afterEachChunk();
        checkEnd();
    }

    /** What must hold between any two reads: the place for every check of a connection at rest. */
    private void afterEachChunk() {
        scheduler.runPending();
        // Memory follows the bytes that arrived: buffers at most double what they gather, plus the
        // first small buffers, what waits to be written, and (with an extension) its contexts.
        long held = session.connection().heldBytes();
        assertEquals(held, budget.heldBytes(), "the session's holdings and the budget's books differ");
        long bound = 2 * received + 4 * 65_536 + sink.queuedBytes() + (plain ? 0 : 4 << 20);
        assertTrue(held <= bound, () -> "holds " + held + " bytes after " + received + " received");
        written.read(sink.take());
        assertTrue(violations.isEmpty(), violations::toString);
    }

    private void checkEnd() {
        assertEquals(ConnectionState.CLOSED, session.connection().state(), "not closed at the end");
        assertEquals(0, budget.heldBytes(), "a closed session gave back all it held");
        assertTrue(sink.closedOrAborted(), "closed without closing the transport");
        assertEquals(0, scheduler.activeTimers(), "timers left after the close");
        assertTrue(written.complete(), "the session wrote a partial frame");
        int closed = handler.closeCode();
        assertTrue(closed != -1, "onClose never came");
        Throwable error = handler.error();
        if (error != null) {
            int code = ((WebSocketException) error).closeCode();
            assertTrue(BAD_INPUT_CODES.contains(code), "failed with " + code + " for bad input: " + error);
        }
        if (plain) {
            // Without an extension the frames carry exactly what the handler sent.
            assertArrayEquals(handler.echoed(), written.data(), "the echoed bytes differ from those written");
            assertEquals(handler.echoedMessages(), written.messages(), "echoed messages against those written");
        }
        int sent = written.closeCode();
        if (sent == -1) {
            assertTrue(error != null || closed == CloseCodes.ABNORMAL_CLOSURE,
                    "closed with " + closed + " without writing a close frame");
        } else if (!LOCAL_REASON.equals(written.closeReason())) {
            assertEquals(closed, sent, "the close frame written is neither the local close nor the code reported");
        }
    }

    /**
     * A seed for {@link #run}, after what {@code seed} already holds (a target's own choices): the
     * given limits and choices, then {@code stream} in chunks of {@code chunk} bytes.
     */
    public static FuzzSeed seed(FuzzSeed seed, int maxFrameSize, int maxMessageSize, int kind, boolean echo,
                                boolean endOfInput, byte[] stream, int chunk) {
        seed.choice(maxFrameSize - 125, 0, 0xFFFF)
                .choice(maxMessageSize, 1, 0xFFFFFF)
                .choice(100, 1, 255)
                .choice(kind, 0, 2)
                .bool(echo)
                .bool(true)
                .bool(endOfInput);
        for (int i = 0; i < stream.length; i += chunk) {
            int n = Math.min(chunk, stream.length - i);
            seed.choice(i + n == stream.length ? 8 : 0, 0, 15).choice(n, 1, FuzzInput.MAX_CHUNK)
                    .bytes(Arrays.copyOfRange(stream, i, i + n));
        }
        return seed;
    }
}
