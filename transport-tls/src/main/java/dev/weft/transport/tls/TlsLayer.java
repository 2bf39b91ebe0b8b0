package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.api.tls.ClientHello;
import dev.weft.transport.nio.NetworkLayer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * TLS for one connection (RFC 8446 TLS 1.3, RFC 5246 TLS 1.2) on a JDK {@link SSLEngine}: the
 * handshake, protecting the protocol's bytes both ways, and close_notify. Called on the connection's
 * event-loop thread only; the engine's delegated tasks run on a shared pool and hand back to the loop.
 * Not thread-safe otherwise.
 *
 * <h2>Theory of operation</h2>
 * The layer is {@code HANDSHAKING}, then {@code OPEN}, then {@code CLOSED}. Whatever the state, one
 * loop ({@code advance}) does what the engine asks for next: run its delegated tasks, send the
 * records it has ready, or unwrap input. A server first holds the start of its input until the
 * ClientHello's server name is known, then makes its engine for that name (SNI).
 * <ul>
 * <li><b>Input</b> is unwrapped straight from the loop's read buffer. What cannot be unwrapped yet
 * (a partial record, or everything that arrives while a task runs) is copied into a buffer of the
 * connection's own, which is released as soon as it is empty. Plaintext goes to the protocol from a
 * buffer shared by the loop thread.
 * <li><b>Output</b>: the protocol's writes queue here with their futures until the handshake is
 * done, so no plaintext is ever sent unprotected, and while a task runs. Each write is wrapped
 * whole (head and body together), several records per network write, and its future goes with the
 * network write that carries its last record.
 * <li><b>Tasks</b> (certificate checks, key agreement) run off the loop; meanwhile the engine is left
 * alone: input is held, writes and a close wait.
 * <li><b>Re-entry</b>: the protocol runs inside this layer's calls (plaintext it reads, futures
 * completed as records are written) and may write or close from there. A write made while a wrap is
 * under way waits behind it, so records reach the network in the order the engine numbered them.
 * <li><b>Closing</b>: {@link #close} sends close_notify and closes the network. close_notify from
 * the peer, or the end of TCP input without it (a truncation, reported the same way), ends the
 * protocol's input. An {@link SSLException} sends the engine's alert if it can and fails the
 * connection with a message that names the problem.
 * </ul>
 */
final class TlsLayer implements NetworkLayer {

    private static final System.Logger LOG = System.getLogger(TlsLayer.class.getName());

    private static final ByteBuffer[] NO_DATA = {};
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0);
    /** Plaintext records per network write; the engine needs room for a whole record to wrap the next. */
    private static final int RECORDS_PER_WRITE = 8;
    /**
     * Input held while a delegated task runs is bounded: reads go on meanwhile (the layer cannot
     * pause its socket), and a task takes micro- to milliseconds, so only a peer flooding during a
     * slow task ever comes near this.
     */
    private static final int MAX_HELD_INPUT = 16 << 20;

    /**
     * Runs the delegated tasks of every TLS connection of the process. They are CPU work (key
     * agreement, signatures, certificate paths), so a thread per core is enough; idle threads end.
     */
    private static final ExecutorService TASKS = taskPool();

    private enum State { HANDSHAKING, OPEN, CLOSED }

    /** A protocol write waiting for the handshake, a task or an earlier write. */
    private record Pending(ByteBuffer[] data, CompletableFuture<Void> written) {
    }

    private final Role role;
    private final String host;
    private final String peer;
    private final Function<String, SSLEngine> engines;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Link link;
    private SSLEngine engine;
    private State state = State.HANDSHAKING;
    /** Input not unwrapped yet, in write mode (position = end of data); null when there is none. */
    private ByteBuffer held;
    /** A delegated task runs: the engine is left alone until it is done. */
    private boolean taskRunning;
    /** Records are being wrapped and sent: a write made meanwhile waits behind them. */
    private boolean wrapping;
    /** The peer's input ended (close_notify or TCP end); nothing more is read. */
    private boolean inputDone;
    /** TCP input ended while a task ran: reported after the input held meanwhile. */
    private boolean endOfInputPending;
    /** The protocol closed while a task ran, a wrap was under way or writes waited: done after them. */
    private boolean closePending;

    /**
     * @param role which end this side is
     * @param host the host the client connects to, or the client's address on a server
     * @param port the peer's port
     * @param engines makes this connection's engine, configured and in the right mode: a server's from
     *     the host name its client asked for (null when none), a client's from null
     */
    TlsLayer(Role role, String host, int port, Function<String, SSLEngine> engines) {
        this.role = role;
        this.host = host;
        this.peer = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        this.engines = engines;
    }

    @Override
    public void open(Link link) {
        this.link = link;
        if (role == Role.CLIENT && start(null)) {
            advance(NO_INPUT);
            settle();
        }
    }

    @Override
    public void read(ByteBuffer fromNetwork) {
        if (state == State.CLOSED || inputDone) {
            fromNetwork.position(fromNetwork.limit());
            return;
        }
        if (engine == null) {
            hold(fromNetwork);
            chooseServerEngine();
        } else if (taskRunning || held != null) {
            hold(fromNetwork);
            if (!taskRunning) {
                unwrapHeld();
            }
        } else {
            advance(fromNetwork);
            if (fromNetwork.hasRemaining()) {
                hold(fromNetwork);
            }
        }
        settle();
    }

    @Override
    public void write(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        if (state == State.CLOSED) {
            failWrite(written, new ClosedChannelException());
            return;
        }
        pending.add(new Pending(body == null ? new ByteBuffer[] {head} : new ByteBuffer[] {head, body}, written));
        settle();
    }

    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (taskRunning || wrapping || state == State.OPEN && !pending.isEmpty()) {
            closePending = true;
        } else {
            closeNow();
        }
    }

    @Override
    public void endOfInput() {
        if (state == State.CLOSED || inputDone) {
            return;
        }
        if (taskRunning) {
            endOfInputPending = true; // the input held meanwhile goes first
            return;
        }
        inputDone = true;
        if (held != null) {
            LOG.log(DEBUG, () -> "TLS with " + peer + ": the input ended inside a record");
            held = null;
        }
        if (state == State.HANDSHAKING) {
            failConnection(new IOException("TLS handshake with " + peer + " failed: the peer closed the connection"));
            return;
        }
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // No close_notify: the peer may have been cut off (a truncation). The WebSocket close
            // handshake is what tells a complete conversation, so this is just the end of input.
            LOG.log(DEBUG, () -> "TLS with " + peer + ": the input ended without close_notify");
        }
        link.applicationEndOfInput();
        settle();
    }

    // ---------------------------------------------------------------- the state machine

    /**
     * Does what the engine asks for next, with {@code input} as the network bytes at hand, until it
     * needs more input, waits for a task, or the layer closes. Leaves in {@code input} what it did not
     * consume.
     */
    private void advance(ByteBuffer input) {
        try {
            while (state != State.CLOSED && !taskRunning) {
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    runDelegatedTasks();
                    return;
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    // Nothing sent and still NEED_WRAP: the engine has nothing to say until the
                    // protocol writes or closes (TLS 1.3 after the peer's close_notify).
                    if (!wrapAndSend(NO_DATA, null) && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        return;
                    }
                    continue;
                }
                if (status == HandshakeStatus.NOT_HANDSHAKING && state == State.HANDSHAKING) {
                    // The engine reports FINISHED only in the result of the call that finished, which
                    // may have been a delegated task's; its status afterwards always tells.
                    handshakeFinished();
                    continue;
                }
                if (!input.hasRemaining() || inputDone || !unwrap(input)) {
                    return;
                }
            }
        } catch (SSLException e) {
            fail(e);
        }
    }

    /** Unwraps one record; false when nothing more can be unwrapped from {@code input} now. */
    private boolean unwrap(ByteBuffer input) throws SSLException {
        ByteBuffer plaintext = ScratchBuffers.plaintext(engine.getSession().getApplicationBufferSize());
        SSLEngineResult result = engine.unwrap(input, plaintext);
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW:
                return false; // a partial record: the caller holds it until the rest arrives
            case BUFFER_OVERFLOW:
                // The session's sizes grew (the peer sent a large record): room for one more.
                ScratchBuffers.plaintext(Math.max(plaintext.capacity() * 2, engine.getSession().getApplicationBufferSize()));
                return true;
            case CLOSED:
                deliver(plaintext);
                peerClosed(input);
                return false;
            default:
                if (result.getHandshakeStatus() == HandshakeStatus.FINISHED && state == State.HANDSHAKING) {
                    handshakeFinished();
                }
                deliver(plaintext);
                return result.bytesConsumed() > 0 || result.getHandshakeStatus() == HandshakeStatus.NEED_TASK
                        || result.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
        }
    }

    private void deliver(ByteBuffer plaintext) {
        if (plaintext.position() > 0 && state != State.CLOSED) {
            link.readApplication(plaintext.flip());
        }
    }

    /** The peer's close_notify: its input is over; whatever follows it is ignored (RFC 8446 §6.1). */
    private void peerClosed(ByteBuffer input) {
        inputDone = true;
        input.position(input.limit());
        if (state == State.HANDSHAKING) {
            failConnection(new IOException("TLS handshake with " + peer + " failed: the peer closed it"));
        } else {
            link.applicationEndOfInput();
        }
    }

    private void handshakeFinished() {
        state = State.OPEN;
        LOG.log(DEBUG, () -> "TLS with " + peer + ": " + engine.getSession().getProtocol() + ", "
                + engine.getSession().getCipherSuite());
        // Writes held so far stay ahead of any the protocol makes now: all go through one queue.
        link.applicationOpen();
        flushPending();
    }

    /**
     * Whether a delegated task is running, so the engine is left alone until the loop hears it is
     * done. A test that feeds input read by read waits for this to clear before the next read, so a
     * run is the same every time.
     */
    boolean awaitingTask() {
        return taskRunning;
    }

    private void runDelegatedTasks() {
        List<Runnable> tasks = new ArrayList<>();
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            tasks.add(task);
        }
        taskRunning = true;
        Executor loop = link.loop();
        TASKS.execute(() -> {
            try {
                // A task's failure is kept by the engine and thrown by its next wrap or unwrap.
                tasks.forEach(Runnable::run);
            } finally {
                loop.execute(this::tasksDone);
            }
        });
    }

    private void tasksDone() {
        taskRunning = false;
        if (state == State.CLOSED) {
            return;
        }
        if (held != null) {
            unwrapHeld();
        } else {
            advance(NO_INPUT);
        }
        if (endOfInputPending && !taskRunning) {
            endOfInputPending = false;
            endOfInput();
        }
        settle();
    }

    /** After an event: sends the writes that can go now, then a close that waited for them. */
    private void settle() {
        flushPending();
        if (closePending && state != State.CLOSED && !taskRunning && !wrapping
                && (state != State.OPEN || pending.isEmpty())) {
            closeNow();
        }
    }

    // ---------------------------------------------------------------- input

    /** Makes the server's engine once the ClientHello tells which host name it is for. */
    private void chooseServerEngine() {
        if (state == State.CLOSED) {
            return;
        }
        ClientHello.ServerName name = ClientHello.read(held.duplicate().flip());
        if (name.outcome() == ClientHello.Outcome.NEED_MORE) {
            return;
        }
        if (name.outcome() == ClientHello.Outcome.MALFORMED) {
            // The default engine answers it with the right alert.
            LOG.log(DEBUG, () -> "TLS with " + peer + ": the first record is not a well-formed ClientHello");
        }
        if (start(name.hostName())) {
            unwrapHeld();
        }
    }

    private boolean start(String serverName) {
        try {
            engine = engines.apply(serverName);
            engine.beginHandshake();
            return true;
        } catch (SSLException e) {
            fail(e);
        } catch (RuntimeException e) {
            // The SNI function or a context that cannot make an engine: this connection fails, not the loop.
            failConnection(new IOException("TLS with " + peer + " cannot start"
                    + (serverName == null ? "" : " for " + serverName) + ": " + e, e));
        }
        return false;
    }

    /** Unwraps from the held input, and keeps (or releases) what is left of it. */
    private void unwrapHeld() {
        ByteBuffer input = held.flip();
        advance(input);
        if (held != input) {
            return; // released: the connection closed meanwhile
        }
        if (!input.hasRemaining()) {
            held = null;
        } else if (input.capacity() > 2 * recordSize() && input.remaining() <= recordSize()) {
            // Grown while a task ran: keep only a record's worth.
            held = ByteBuffer.allocate(recordSize()).put(input);
        } else {
            input.compact();
        }
    }

    /** Copies bytes the loop's buffer cannot keep for later. */
    private void hold(ByteBuffer bytes) {
        if (state == State.CLOSED || inputDone) {
            bytes.position(bytes.limit());
            return;
        }
        int n = bytes.remaining();
        if (held == null) {
            held = ByteBuffer.allocate(Math.max(n, recordSize()));
        } else if (held.remaining() < n) {
            int size = held.position() + n;
            if (size > MAX_HELD_INPUT) {
                bytes.position(bytes.limit());
                failConnection(new IOException("TLS with " + peer + ": the peer sent more than " + MAX_HELD_INPUT
                        + " bytes while a handshake step was running"));
                return;
            }
            held = ByteBuffer.allocate(Math.max(size, Math.min(2 * held.capacity(), MAX_HELD_INPUT))).put(held.flip());
        }
        held.put(bytes);
    }

    /** The most a record takes on the wire, as far as is known yet. */
    private int recordSize() {
        return engine == null ? ClientHello.MAX_FIRST_RECORD : engine.getSession().getPacketBufferSize();
    }

    // ---------------------------------------------------------------- output

    /** Wraps and sends pending writes in order, as far as the state allows. */
    private void flushPending() {
        if (state != State.OPEN || taskRunning || wrapping) {
            return;
        }
        try {
            for (Pending p; state == State.OPEN && !taskRunning && (p = pending.peek()) != null; ) {
                wrapAndSend(p.data(), p.written());
                if (hasRemaining(p.data())) {
                    if (engine.isOutboundDone()) {
                        failPending(new ClosedChannelException()); // closed after the peer's TLS 1.2 close_notify
                    } else if (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    }
                    // Otherwise the engine needs input first (a renegotiation); the next read resumes.
                    return;
                }
                pending.poll();
            }
        } catch (SSLException e) {
            fail(e);
        }
    }

    /**
     * Wraps {@code data} (none: the handshake or alert records the engine has ready) into records and
     * sends them, up to {@link #RECORDS_PER_WRITE} per network write, {@code written} with the write
     * that carries the last. Stops early when the engine takes no more (it needs a handshake step
     * first, or it is closed); what it did not take is left in {@code data}.
     *
     * @return whether it sent anything
     */
    private boolean wrapAndSend(ByteBuffer[] data, CompletableFuture<Void> written) throws SSLException {
        wrapping = true;
        ByteBuffer out = ScratchBuffers.records(RECORDS_PER_WRITE * engine.getSession().getPacketBufferSize());
        boolean sent = false;
        try {
            while (true) {
                SSLEngineResult result = engine.wrap(data, out);
                if (result.getStatus() == Status.BUFFER_OVERFLOW) {
                    if (out.position() > 0) {
                        send(out, null);
                        sent = true;
                    } else {
                        out = ScratchBuffers.records(Math.max(2 * out.capacity(), engine.getSession().getPacketBufferSize()));
                    }
                    continue;
                }
                boolean progress = result.bytesConsumed() > 0 || result.bytesProduced() > 0;
                if (result.getStatus() == Status.CLOSED || !progress
                        || !hasRemaining(data) && engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                    break;
                }
            }
            boolean taken = !hasRemaining(data);
            if (out.position() > 0) {
                send(out, taken ? written : null);
                sent = true;
            } else if (taken && written != null) {
                written.complete(null); // nothing to send for an empty write
            }
            return sent;
        } finally {
            out.clear();
            wrapping = false;
        }
    }

    /** Sends the records in {@code out} and empties it for reuse; the network queue gets a copy of its own. */
    private void send(ByteBuffer out, CompletableFuture<Void> written) {
        ByteBuffer records = ByteBuffer.allocate(out.flip().remaining()).put(out).flip();
        out.clear();
        link.writeNetwork(records, null, written);
    }

    private static boolean hasRemaining(ByteBuffer[] data) {
        for (ByteBuffer b : data) {
            if (b.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- closing

    /** Sends close_notify (or, during the handshake, the engine's user_canceled) and closes the network. */
    private void closeNow() {
        state = State.CLOSED;
        held = null;
        failPending(new ClosedChannelException());
        sendLastRecords();
        link.closeNetwork();
    }

    /** An engine failure: sends its alert if the socket takes it, and fails the connection. */
    private void fail(SSLException e) {
        if (state == State.CLOSED) {
            return;
        }
        boolean handshaking = state == State.HANDSHAKING;
        state = State.CLOSED;
        IOException cause = new IOException(TlsFailures.describe(e, role, peer, host, handshaking), e);
        LOG.log(DEBUG, cause::getMessage);
        sendLastRecords();
        failConnection(cause);
    }

    /** Ends the engine's output and sends what it still has to say (close_notify, an alert), if the socket takes it. */
    private void sendLastRecords() {
        if (engine == null) {
            return;
        }
        engine.closeOutbound();
        try {
            wrapAndSend(NO_DATA, null);
        } catch (SSLException e) {
            LOG.log(DEBUG, () -> "TLS with " + peer + ": cannot send its last records: " + e);
        }
    }

    private void failConnection(IOException cause) {
        state = State.CLOSED;
        held = null;
        failPending(cause);
        link.fail(cause);
    }

    private void failPending(Exception cause) {
        for (Pending p; (p = pending.poll()) != null; ) {
            failWrite(p.written(), cause);
        }
    }

    private static void failWrite(CompletableFuture<Void> written, Exception cause) {
        if (written != null) {
            written.completeExceptionally(cause);
        }
    }

    @Override
    public String toString() {
        return "TlsLayer[" + role + " " + peer + " " + state + "]";
    }

    private static ExecutorService taskPool() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new TaskThreads());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Daemon threads, so a pool waiting for work never keeps the JVM alive. */
    private static final class TaskThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread t = new Thread(task, "weft-tls-task-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
