package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.FrameObserver;
import dev.weft.api.Opcode;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.Role;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.api.metrics.ConnectionMetrics;
import dev.weft.core.extension.ExtensionChain;
import dev.weft.core.extension.FakeExtensionFactory;
import dev.weft.core.frame.FrameDecoder;
import dev.weft.core.frame.FrameEncoder;
import dev.weft.core.frame.MaskKeySource;
import dev.weft.core.frame.ProtocolViolation;
import dev.weft.core.frame.ProtocolViolationException;
import dev.weft.testing.loop.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inbound router on its own: a server's {@link Inbound}, fed masked frames through a real
 * {@link FrameDecoder} (or called as its listener directly), answering pings through a real
 * {@link Outbound} on a {@link WireSink}. The handlers record what they are given as strings, in
 * order.
 */
class InboundTest {

    private static final int MAX_FRAME = 1024 * 1024;

    private final ManualScheduler loop = new ManualScheduler();
    private final List<String> violations = new ArrayList<>();
    private final WireSink wire = new WireSink(violations);
    private final SessionState state = new SessionState();
    private final List<String> events = new ArrayList<>();
    private final List<CloseFrame> closes = new ArrayList<>();
    private final List<Throwable> handlerFailures = new ArrayList<>();
    /** Where callbacks wait when they run off the loop, until {@link #runCallbacks()}. */
    private final List<Runnable> callbackPool = new ArrayList<>();
    private final Connection connection = testConnection();
    private final FrameEncoder client = new FrameEncoder(Role.CLIENT, MaskKeySource.secure());
    private int messagesCounted;
    private Inbound inbound;
    private FrameDecoder decoder;

    @AfterEach
    void nothingWentWrongOnTheSide() {
        assertEquals(List.of(), violations, "the transport's rules");
        assertEquals(List.of(), handlerFailures, "the handler's callbacks");
    }

    // ---------------------------------------------------------------- messages

    @ParameterizedTest(name = "extension: {0}")
    @ValueSource(booleans = {false, true})
    void wholeMessagesReachTheHandler(boolean extended) {
        start(new Recorder(), extended, defaults());
        receive(frame(true, Opcode.TEXT, "héllo"), frame(true, Opcode.BINARY, "bytes"), frame(true, Opcode.TEXT, ""));
        assertEquals(List.of("text héllo", "binary bytes", "text "), events);
        assertEquals(3, messagesCounted);
    }

    @ParameterizedTest(name = "extension: {0}")
    @ValueSource(booleans = {false, true})
    void fragmentedMessagesAreAssembledAcrossFramesAndSplitInput(boolean extended) {
        start(new Recorder(), extended, defaults());
        byte[] input = concat(
                frame(false, Opcode.TEXT, "hé"), frame(false, Opcode.CONTINUATION, "l"),
                frame(true, Opcode.PING, "p"), frame(true, Opcode.CONTINUATION, "lo"),
                frame(false, Opcode.BINARY, "ab"), frame(true, Opcode.CONTINUATION, "cd"));
        receiveInPieces(input, 3);
        // The ping comes between the fragments, before the message it interrupts is complete.
        assertEquals(List.of("ping p", "text héllo", "binary abcd"), events);
        assertEquals(2, messagesCounted);
    }

    @Test
    void partsAreDeliveredAsTheyComeAndOnlyTheLastCountsAsAMessage() {
        start(new PartialRecorder(), false, defaults());
        receive(frame(false, Opcode.TEXT, "one "));
        receive(frame(false, Opcode.CONTINUATION, "two "));
        assertEquals(0, messagesCounted);
        receive(frame(true, Opcode.CONTINUATION, "three"));
        assertEquals(1, messagesCounted);
        receive(frame(false, Opcode.BINARY, "xy"), frame(true, Opcode.CONTINUATION, "z"));
        assertEquals(List.of("text part one ", "text part two ", "text part three last",
                "binary part xy", "binary part z last"), events);
        assertEquals(2, messagesCounted);
    }

    @Test
    void aControlFrameIsNotCountedAsAMessage() {
        start(new Recorder(), false, defaults());
        receive(frame(true, Opcode.PING, ""), frame(true, Opcode.PONG, ""));
        assertEquals(0, messagesCounted);
    }

    @Test
    void tooManyFragmentsFailAtTheHeaderBeforeAnyPayload() {
        start(new Recorder(), false, WebSocketConfig.builder().maxFragmentsPerMessage(2).build());
        receive(frame(false, Opcode.TEXT, "a"), frame(false, Opcode.CONTINUATION, "b"));
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> inbound.onFrameHeader(true, 0, Opcode.CONTINUATION, 1));
        assertEquals(ProtocolViolation.TOO_MANY_FRAGMENTS, e.violation());
        assertEquals(List.of(), events);
    }

    // ---------------------------------------------------------------- control frames

    @ParameterizedTest(name = "extension: {0}")
    @ValueSource(booleans = {false, true})
    void aPingGoesToTheHandlerAndIsAnsweredWithItsPayload(boolean extended) {
        start(new Recorder(), extended, defaults());
        receive(frame(true, Opcode.PING, "hi"));
        assertEquals(List.of("ping hi"), events);
        // A server's pong: FIN and opcode 0xA, unmasked length 2, the ping's payload.
        assertArrayEquals(new byte[] {(byte) 0x8A, 2, 'h', 'i'}, wire.take());
    }

    @Test
    void noPongIsWrittenWhenAutoPongIsOff() {
        start(new Recorder(), false, WebSocketConfig.builder().autoPong(false).build());
        receive(frame(true, Opcode.PING, "hi"));
        assertEquals(List.of("ping hi"), events);
        assertArrayEquals(new byte[0], wire.take());
    }

    @Test
    void noPongIsWrittenOnceThisEndSentItsCloseFrame() {
        start(new Recorder(), false, defaults());
        state.sendingClose();
        receive(frame(true, Opcode.PING, "hi"));
        assertEquals(List.of("ping hi"), events);
        assertArrayEquals(new byte[0], wire.take());
    }

    @Test
    void aPongGoesToTheHandlerAndIsNotAnswered() {
        start(new Recorder(), false, defaults());
        receive(frame(true, Opcode.PONG, "ok"));
        assertEquals(List.of("pong ok"), events);
        assertArrayEquals(new byte[0], wire.take());
        assertEquals(List.of(), closes);
    }

    @Test
    void offTheLoopPingAndPongPayloadsDoNotShareTheReusedFrameBuffer() {
        startOffLoop(new Recorder(), false, defaults());
        receive(frame(true, Opcode.PING, "aa"), frame(true, Opcode.PONG, "bb"), frame(true, Opcode.PING, "cc"));
        assertEquals(List.of(), events);
        runCallbacks();
        assertEquals(List.of("ping aa", "pong bb", "ping cc"), events);
    }

    @ParameterizedTest(name = "extension: {0}")
    @ValueSource(booleans = {false, true})
    void aCloseFrameGoesToTheCloseConsumerParsed(boolean extended) {
        start(new Recorder(), extended, defaults());
        receive(frame(true, Opcode.CLOSE, closeBody(CloseCodes.GOING_AWAY, "bye")));
        receive(frame(true, Opcode.CLOSE, new byte[0]));
        assertEquals(List.of(new CloseFrame(CloseCodes.GOING_AWAY, "bye"),
                new CloseFrame(CloseCodes.NO_STATUS_RECEIVED, "")), closes);
        assertEquals(List.of(), events);
        assertArrayEquals(new byte[0], wire.take());
    }

    // ---------------------------------------------------------------- closed input

    @Test
    void decodingStopsAtTheCloseFrameThatClosedTheInput() {
        start(new Recorder(), false, defaults(), close -> {
            closes.add(close);
            state.closeInput(); // as the session does on a close frame
        });
        byte[] body = closeBody(CloseCodes.NORMAL_CLOSURE, "");
        inbound.onFrameHeader(true, 0, Opcode.CLOSE, body.length);
        inbound.onFramePayload(ByteBuffer.wrap(body));
        assertFalse(inbound.onFrameEnd(), "the decoder is told to stop");
        assertEquals(1, closes.size());

        receive(frame(true, Opcode.TEXT, "after the close"));
        assertEquals(List.of(), events);
        assertEquals(0, messagesCounted);
    }

    @Test
    void aPayloadChunkAfterTheInputClosedIsIgnored() {
        start(new PartialRecorder(), false, defaults());
        inbound.onFrameHeader(true, 0, Opcode.TEXT, 5);
        inbound.onFramePayload(utf8("he"));
        state.closeInput();
        inbound.onFramePayload(utf8("llo"));
        assertFalse(inbound.onFrameEnd());
        assertEquals(List.of("text part he"), events);
        assertEquals(0, messagesCounted);
    }

    @Test
    void aGatheredChunkAfterTheInputClosedIsNotKept() {
        start(new Recorder(), true, defaults());
        inbound.onFrameHeader(true, 0, Opcode.BINARY, 1000);
        state.closeInput();
        inbound.onFramePayload(ByteBuffer.allocate(1000));
        assertEquals(0, inbound.heldBytes());
        assertFalse(inbound.onFrameEnd());
        assertEquals(List.of(), events);
    }

    @Test
    void aGatheredFrameWhoseEndComesAfterTheInputClosedIsNotDelivered() {
        start(new Recorder(), true, defaults());
        byte[] payload = "whole".getBytes(StandardCharsets.UTF_8);
        inbound.onFrameHeader(true, 0, Opcode.TEXT, payload.length);
        inbound.onFramePayload(ByteBuffer.wrap(payload));
        state.closeInput();
        assertFalse(inbound.onFrameEnd());
        assertEquals(List.of(), events);
        assertEquals(0, messagesCounted);
    }

    @Test
    void aPingWhoseEndComesAfterTheInputClosedIsNeitherDeliveredNorAnswered() {
        start(new Recorder(), false, defaults());
        inbound.onFrameHeader(true, 0, Opcode.PING, 2);
        inbound.onFramePayload(utf8("hi"));
        state.closeInput();
        assertFalse(inbound.onFrameEnd());
        assertEquals(List.of(), events);
        assertArrayEquals(new byte[0], wire.take());
    }

    // ---------------------------------------------------------------- frame observers

    @ParameterizedTest(name = "extension: {0}")
    @ValueSource(booleans = {false, true})
    void anObserverSeesEveryFrameBeforeWhatItCarries(boolean extended) {
        Observer observer = new Observer();
        start(observer, extended, defaults());
        receiveInPieces(concat(frame(false, Opcode.TEXT, "hel"), frame(true, Opcode.PING, "p"),
                frame(true, Opcode.CONTINUATION, "lo"), frame(true, Opcode.CLOSE, closeBody(1000, ""))), 2);
        assertEquals(List.of("frame TEXT hel", "frame PING fin p", "ping p", "frame CONTINUATION fin lo",
                "text hello", "frame CLOSE fin \u0003\u00e8"), events);
        assertEquals(List.of(new CloseFrame(1000, "")), closes);
        assertEquals(1, messagesCounted);
    }

    @Test
    void offTheLoopAnObserverIsGivenACopyOfTheGatheredFrame() {
        Observer observer = new Observer();
        startOffLoop(observer, false, defaults());
        receive(frame(true, Opcode.BINARY, "aaaa"), frame(true, Opcode.BINARY, "bbbb"));
        assertEquals(List.of(), events);
        runCallbacks();
        assertEquals(List.of("frame BINARY fin aaaa", "binary aaaa", "frame BINARY fin bbbb", "binary bbbb"), events);
    }

    @Test
    void anObserverThatClosesTheInputStopsTheFrameItSaw() {
        Observer observer = new Observer() {
            @Override
            public void onFrame(Connection c, Frame frame) {
                super.onFrame(c, frame);
                state.closeInput(); // as failing the connection from the callback would
            }
        };
        start(observer, false, defaults());
        receive(frame(true, Opcode.TEXT, "seen, not delivered"));
        assertEquals(List.of("frame TEXT fin seen, not delivered"), events);
        assertEquals(0, messagesCounted);
    }

    // ---------------------------------------------------------------- message timing

    @Test
    void aMessageIsTimedFromTheInputItStartedIn() {
        start(new Recorder(), false, defaults());
        assertFalse(inbound.messageInProgress());
        assertEquals(0, inbound.messagesStarted());

        inbound.inputAt(100);
        receive(frame(false, Opcode.TEXT, "a"));
        assertTrue(inbound.messageInProgress());
        assertEquals(1, inbound.messagesStarted());
        assertEquals(100, inbound.messageStartNanos());

        inbound.inputAt(200);
        receive(frame(true, Opcode.PING, ""), frame(false, Opcode.CONTINUATION, "b"));
        assertTrue(inbound.messageInProgress());
        assertEquals(1, inbound.messagesStarted(), "neither a ping nor a continuation starts a message");
        assertEquals(100, inbound.messageStartNanos());

        inbound.inputAt(300);
        byte[] last = frame(true, Opcode.CONTINUATION, "c");
        receive(Arrays.copyOf(last, last.length - 1)); // the final frame, but for its last byte
        assertTrue(inbound.messageInProgress(), "not sent all of it yet");
        receive(new byte[] {last[last.length - 1]});
        assertFalse(inbound.messageInProgress());
        assertEquals(List.of("ping ", "text abc"), events);

        inbound.inputAt(400);
        receive(frame(true, Opcode.BINARY, "x"));
        assertFalse(inbound.messageInProgress());
        assertEquals(2, inbound.messagesStarted());
        assertEquals(400, inbound.messageStartNanos());
    }

    @Test
    void onlyMessagesGatheredWholeAreTimed() {
        WebSocketConfig timed = WebSocketConfig.defaults();
        assertTrue(new Inbound(new Recorder(), empty(), timed, state, callbacks(null), counting(), outbound(empty()),
                closes::add).timesMessages());
        assertFalse(new Inbound(new PartialRecorder(), empty(), timed, state, callbacks(null), counting(),
                outbound(empty()), closes::add).timesMessages());
        WebSocketConfig untimed = WebSocketConfig.builder().messageTimeout(Duration.ZERO).build();
        assertFalse(new Inbound(new Recorder(), empty(), untimed, state, callbacks(null), counting(),
                outbound(empty()), closes::add).timesMessages());
    }

    // ---------------------------------------------------------------- held memory

    @ParameterizedTest(name = "extension: {0}")
    @ValueSource(booleans = {false, true})
    void heldBytesGrowWithTheBytesThatArrivedNotWithTheDeclaredLength(boolean extended) {
        start(new Recorder(), extended, defaults());
        int declared = 200_000;
        byte[] head = frame(true, Opcode.BINARY, new byte[declared]);
        int headerLength = head.length - declared;
        receive(Arrays.copyOf(head, headerLength));
        assertEquals(0, inbound.heldBytes(), "nothing reserved for the declared length");

        int arrived = 0;
        for (int chunk : new int[] {10, 300, 5000, 40_000}) {
            receive(Arrays.copyOfRange(head, headerLength + arrived, headerLength + arrived + chunk));
            arrived += chunk;
            long held = inbound.heldBytes();
            assertTrue(held >= arrived, held + " held for " + arrived + " gathered");
            assertTrue(held <= Math.max(2L * arrived, 256), held + " held for " + arrived + " gathered");
        }
        inbound.release();
        assertEquals(0, inbound.heldBytes());
    }

    @Test
    void aGatheredFrameBufferIsKeptForTheNextFrameUntilReleased() {
        start(new Recorder(), true, defaults());
        receive(frame(true, Opcode.BINARY, new byte[1000]));
        assertTrue(inbound.heldBytes() >= 1000, "kept for the next frame");
        inbound.release();
        assertEquals(0, inbound.heldBytes());
        receive(frame(true, Opcode.TEXT, "still works"));
        assertEquals(List.of("binary " + "\0".repeat(1000), "text still works"), events);
    }

    @Test
    void aLargeGatheredFrameBufferIsLetGoOnceTheFrameIsDelivered() {
        start(new Recorder(), true, defaults());
        receive(frame(true, Opcode.BINARY, new byte[100_000]));
        assertEquals(1, messagesCounted);
        assertEquals(0, inbound.heldBytes());
    }

    // ---------------------------------------------------------------- fixture

    private static WebSocketConfig defaults() {
        return WebSocketConfig.builder().maxFrameSize(MAX_FRAME).build();
    }

    private void start(WebSocketHandler handler, boolean extended, WebSocketConfig config) {
        start(handler, extended, config, closes::add);
    }

    private void start(WebSocketHandler handler, boolean extended, WebSocketConfig config,
                       Consumer<CloseFrame> closeFrames) {
        build(handler, extended, config, closeFrames, null);
    }

    private void startOffLoop(WebSocketHandler handler, boolean extended, WebSocketConfig config) {
        build(handler, extended, config, closes::add, callbackPool::add);
    }

    private void build(WebSocketHandler handler, boolean extended, WebSocketConfig config,
                       Consumer<CloseFrame> closeFrames, Executor executor) {
        ExtensionChain extensions = extended ? passThrough(config) : empty();
        state.open();
        inbound = new Inbound(handler, extensions, config, state, callbacks(executor), counting(),
                outbound(extensions), closeFrames::accept);
        decoder = new FrameDecoder(Role.SERVER, config.maxFrameSize());
        decoder.allowRsv(extensions.rsv());
    }

    private static ExtensionChain empty() {
        return new ExtensionChain(List.of());
    }

    /** One agreed extension that hands frames on as they are: the router must gather data frames for it. */
    private static ExtensionChain passThrough(WebSocketConfig config) {
        FakeExtensionFactory factory = new FakeExtensionFactory("x-pass", 0);
        ExtensionContext context = new ExtensionContext(Role.SERVER, config.maxFrameSize(), config.maxMessageSize());
        return new ExtensionChain(List.of(factory.accepted(ExtensionParameters.of("x-pass"), context)));
    }

    private Callbacks callbacks(Executor executor) {
        return new Callbacks(connection, loop, executor, handlerFailures::add);
    }

    private Outbound outbound(ExtensionChain extensions) {
        return new Outbound(Role.SERVER, MaskKeySource.secure(), wire, extensions, state, new Traffic(ConnectionMetrics.NONE), new Outbound.Owner() {
            @Override
            public void encodeFailed(RuntimeException e) {
                violations.add("encoding failed: " + e);
            }

            @Override
            public void wrote() {
            }
        });
    }

    private ConnectionMetrics counting() {
        return new ConnectionMetrics() {
            @Override
            public void messageReceived() {
                messagesCounted++;
            }
        };
    }

    private void runCallbacks() {
        while (!callbackPool.isEmpty()) {
            callbackPool.remove(0).run();
        }
        loop.runPending();
    }

    /** Decodes each input in turn, as reads from the socket. */
    private void receive(byte[]... inputs) {
        for (byte[] input : inputs) {
            decoder.decode(ByteBuffer.wrap(input), inbound);
        }
    }

    private void receiveInPieces(byte[] input, int pieceSize) {
        for (int from = 0; from < input.length; from += pieceSize) {
            receive(Arrays.copyOfRange(input, from, Math.min(input.length, from + pieceSize)));
        }
    }

    /** A masked frame, as a client sends it. */
    private byte[] frame(boolean fin, Opcode opcode, String payload) {
        return frame(fin, opcode, payload.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] frame(boolean fin, Opcode opcode, byte[] payload) {
        ByteBuffer whole = client.encode(FrameEncoder.firstByte(fin, 0, opcode.code()), ByteBuffer.wrap(payload));
        byte[] out = new byte[whole.remaining()];
        whole.get(out);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] closeBody(int code, String reason) {
        ByteBuffer body = CloseFrame.body(code, reason.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[body.remaining()];
        body.get(out);
        return out;
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The payload as text; ISO-8859-1 for binary, so each byte stays one char. */
    private static String text(ByteBuffer data, boolean binary) {
        byte[] b = new byte[data.remaining()];
        data.get(data.position(), b);
        return new String(b, binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** Stands for the session's connection: the handler must be given this one, and may call nothing on it. */
    private static Connection testConnection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "test connection";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private class Recorder implements WebSocketHandler {
        void record(Connection c, String event) {
            assertSame(connection, c);
            events.add(event);
        }

        @Override
        public void onText(Connection c, String text) {
            record(c, "text " + text);
        }

        @Override
        public void onBinary(Connection c, ByteBuffer data) {
            record(c, "binary " + text(data, true));
        }

        @Override
        public void onPing(Connection c, ByteBuffer data) {
            record(c, "ping " + text(data, true));
        }

        @Override
        public void onPong(Connection c, ByteBuffer data) {
            record(c, "pong " + text(data, true));
        }
    }

    private final class PartialRecorder extends Recorder implements PartialMessageHandler {
        @Override
        public void onTextPart(Connection c, String part, boolean last) {
            record(c, "text part " + part + (last ? " last" : ""));
        }

        @Override
        public void onBinaryPart(Connection c, ByteBuffer part, boolean last) {
            record(c, "binary part " + text(part, true) + (last ? " last" : ""));
        }
    }

    private class Observer extends Recorder implements FrameObserver {
        @Override
        public void onFrame(Connection c, Frame frame) {
            record(c, "frame " + frame.opcode() + (frame.fin() ? " fin " : " ") + text(frame.payload(), true));
        }
    }
}
