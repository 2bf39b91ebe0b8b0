package dev.weft.testing;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketException;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A handler that records everything a connection reports, for a test to assert on: the same
 * recorder serves the in-memory pair (one thread, everything already there after a flush) and real
 * sockets (events arrive on a loop thread; the test waits for them, with a bound, never sleeping).
 * Thread-safe.
 *
 * <p>It keeps three streams, each read in order and consumed as it is read:
 * <ul>
 * <li><b>events</b>, one short string each: {@code open}, {@code text:hi}, {@code binary:0a0b}
 *     (lower-case hex; over 32 bytes, {@code binary:70000 bytes}), {@code ping:p}, {@code pong:p}
 *     (payloads as UTF-8), {@code close:1000:bye}, and {@code error:1002} (the close code of a
 *     {@link WebSocketException}, else the error's simple class name);</li>
 * <li><b>messages</b>: a {@link String} per text message, a {@code byte[]} per binary one;</li>
 * <li><b>pongs</b>: each pong's payload as UTF-8.</li>
 * </ul>
 * The close and the errors are also kept on their own ({@link #closeCode()}, {@link #errors()}).
 * An expected event ending in {@code *} matches every event that starts with what comes before it:
 * {@code "close:1009:*"} asserts the code and not the reason.
 *
 * <pre>{@code
 * Recorder client = Recorder.recording();
 * InMemoryPair pair = InMemoryPair.connect(Recorder.echoing(), client);
 * pair.client().sendText("hi");
 * pair.flush();
 * client.assertEvents("open", "text:hi");
 * }</pre>
 *
 * Methods that wait ({@link #next()}, {@link #nextText()}, {@link #closeCode()}, ...) wait at most
 * {@linkplain #timeout(Duration) the timeout} (30 seconds unless set) and then throw
 * {@link AssertionError}, as do the {@code assert} and {@code expect} methods on a mismatch.
 */
public class Recorder implements WebSocketHandler {

    /** Binary payloads up to this size are recorded in hex, longer ones by length. */
    static final int HEX_LIMIT = 32;

    private final boolean echo;
    private volatile Duration timeout = Duration.ofSeconds(30);
    private final Feed<String> events = new Feed<>("event");
    private final Feed<Object> messages = new Feed<>("message");
    private final Feed<String> pongs = new Feed<>("pong");
    private final List<Throwable> errors = new ArrayList<>();
    private final List<Integer> closeCodes = new ArrayList<>();
    private final CompletableFuture<Connection> opened = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    /**
     * For subclasses that add to a callback (calling {@code super}); otherwise use
     * {@link #recording()} or {@link #echoing()}.
     *
     * @param echo whether to send every text and binary message back
     */
    protected Recorder(boolean echo) {
        this.echo = echo;
    }

    /** A recorder that only records. */
    public static Recorder recording() {
        return new Recorder(false);
    }

    /** A recorder that records and sends every text and binary message back, as an echo server does. */
    public static Recorder echoing() {
        return new Recorder(true);
    }

    /** How long the waiting methods wait (default 30 seconds). */
    public Recorder timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return this;
    }

    // ---- events

    /** The events not yet consumed, without consuming them. */
    public List<String> events() {
        return events.pending();
    }

    /** The events not yet consumed, which are then consumed. */
    public List<String> take() {
        return events.take();
    }

    /**
     * Asserts the events not yet consumed are exactly {@code expected}, and consumes them. For tests
     * where everything has happened already (the in-memory pair after a flush).
     */
    public void assertEvents(String... expected) {
        List<String> actual = take();
        boolean same = actual.size() == expected.length;
        for (int i = 0; same && i < expected.length; i++) {
            same = matches(expected[i], actual.get(i));
        }
        if (!same) {
            throw new AssertionError("expected events " + List.of(expected) + " but got " + actual);
        }
    }

    /** The next event, waiting for it. */
    public String next() {
        return events.next(timeout);
    }

    /** The next event if one comes within {@code wait}, else empty: for asserting that nothing happens. */
    public Optional<String> poll(Duration wait) {
        return events.poll(wait);
    }

    /** Waits for each of {@code expected} in turn, failing on the first event that differs. */
    public void expect(String... expected) {
        for (String e : expected) {
            String actual = next();
            if (!matches(e, actual)) {
                throw new AssertionError("expected event " + e + " but got " + actual);
            }
        }
    }

    /** Skips events until one starts with {@code prefix}, and returns it. */
    public String await(String prefix) {
        while (true) {
            String e = next();
            if (e.startsWith(prefix)) {
                return e;
            }
        }
    }

    // ---- messages and pongs

    /** The messages not yet consumed (a {@code String} or a {@code byte[]} each), which are then consumed. */
    public List<Object> takeMessages() {
        return messages.take();
    }

    /** The next message, which must be a text message, waiting for it. */
    public String nextText() {
        Object m = messages.next(timeout);
        if (m instanceof String text) {
            return text;
        }
        throw new AssertionError("expected a text message but got " + describe(m));
    }

    /** The next message, which must be a binary message, waiting for it. */
    public byte[] nextBinary() {
        Object m = messages.next(timeout);
        if (m instanceof byte[] bytes) {
            return bytes;
        }
        throw new AssertionError("expected a binary message but got " + describe(m));
    }

    /** The next pong's payload as UTF-8, waiting for it. */
    public String nextPong() {
        return pongs.next(timeout);
    }

    // ---- open, close, errors

    /** Completes with the connection when {@code onOpen} is called. */
    public CompletableFuture<Connection> opened() {
        return opened;
    }

    /** The connection given to {@code onOpen}, waiting for it. */
    public Connection awaitOpen() {
        return await(opened, "no open");
    }

    /** Completes with {@code "code reason"} when {@code onClose} is called. */
    public CompletableFuture<String> closed() {
        return closed;
    }

    /** {@code "code reason"} of the close, waiting for it. */
    public String awaitClose() {
        return await(closed, "no close");
    }

    /** The close code, waiting for the close. */
    public int closeCode() {
        String close = awaitClose();
        return Integer.parseInt(close.substring(0, close.indexOf(' ')));
    }

    /** Every close code reported so far: at most one if the connection keeps its contract. */
    public synchronized List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }

    /** The errors reported so far. */
    public synchronized List<Throwable> errors() {
        return List.copyOf(errors);
    }

    // ---- the handler

    @Override
    public void onOpen(Connection connection) {
        events.add("open");
        opened.complete(connection);
    }

    @Override
    public void onText(Connection connection, String text) {
        events.add("text:" + text);
        messages.add(text);
        if (echo) {
            connection.sendText(text);
        }
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        events.add("binary:" + (bytes.length <= HEX_LIMIT ? HexFormat.of().formatHex(bytes) : bytes.length + " bytes"));
        messages.add(bytes);
        if (echo) {
            connection.sendBinary(ByteBuffer.wrap(bytes));
        }
    }

    @Override
    public void onPing(Connection connection, ByteBuffer data) {
        events.add("ping:" + StandardCharsets.UTF_8.decode(data.duplicate()));
    }

    @Override
    public void onPong(Connection connection, ByteBuffer data) {
        String payload = StandardCharsets.UTF_8.decode(data.duplicate()).toString();
        events.add("pong:" + payload);
        pongs.add(payload);
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        synchronized (this) {
            closeCodes.add(code);
        }
        events.add("close:" + code + ":" + reason);
        closed.complete(code + " " + reason);
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        synchronized (this) {
            errors.add(error);
        }
        events.add("error:" + (error instanceof WebSocketException w ? Integer.toString(w.closeCode())
                : error.getClass().getSimpleName()));
    }

    /** Whether an event is the one expected; an expectation ending in {@code *} matches any event it starts. */
    private static boolean matches(String expected, String event) {
        return expected.endsWith("*") ? event.startsWith(expected.substring(0, expected.length() - 1))
                : expected.equals(event);
    }

    /** Adds an event of a subclass's own, such as one for each frame a {@code FrameObserver} sees. */
    protected void record(String event) {
        events.add(event);
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    private static String describe(Object message) {
        return message instanceof byte[] b ? "binary " + Arrays.toString(b) : "text " + message;
    }

    /** An append-only list read through a cursor, with waiting reads. */
    private static final class Feed<T> {
        private final String what;
        private final List<T> items = new ArrayList<>();
        private int read;

        Feed(String what) {
            this.what = what;
        }

        synchronized void add(T item) {
            items.add(item);
            notifyAll();
        }

        synchronized List<T> pending() {
            return List.copyOf(items.subList(read, items.size()));
        }

        synchronized List<T> take() {
            List<T> taken = pending();
            read = items.size();
            return taken;
        }

        synchronized Optional<T> poll(Duration wait) {
            long deadline = System.nanoTime() + wait.toNanos();
            try {
                while (read == items.size()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a " + what, e);
            }
            return Optional.of(items.get(read++));
        }

        T next(Duration wait) {
            return poll(wait).orElseThrow(() -> new AssertionError("no " + what + " within " + wait));
        }
    }
}
