package dev.weft.core.session;

import dev.weft.api.CloseCodes;
import dev.weft.api.WebSocketException;
import dev.weft.api.metrics.ConnectionMetrics;
import dev.weft.core.frame.FrameDecoder;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The reading half of a session: feeds input to the frame decoder, keeps what arrives while an
 * extension still has output pending for an earlier frame, and stops or resumes reading for the
 * three parties that may ask: the application, the memory budget, and pending output.
 * Loop-confined.
 *
 * <p>An extension hands a large output back in slices. After the first, reading stops and the
 * rest is decoded one slice per turn of the loop, so the other connections of the loop are served
 * between slices; then the input kept meanwhile, then reading resumes. An end of input that
 * arrives meanwhile waits behind that input.
 */
final class Reading {

    private static final System.Logger LOG = System.getLogger(Reading.class.getName());
    /** Set once an OutOfMemoryError has been logged at ERROR: later ones are logged at DEBUG. */
    private static final AtomicBoolean outOfMemoryLogged = new AtomicBoolean();

    /** What the session does around decoding. */
    interface Owner {
        /** Fails the connection (RFC 6455 §7.1.7) with {@code code}. */
        void fail(int code, String reason, Throwable cause);

        /** Fails the connection for what the peer sent, noting it as the peer's fault in the log. */
        void failForPeer(WebSocketException e);

        /** A turn of decoding is over. */
        void afterInput();

        /** The input kept before an end of input has been decoded: the end can be taken now. */
        void endOfInput();
    }

    private final FrameDecoder decoder;
    private final Inbound inbound;
    private final SessionState state;
    private final Scheduler scheduler;
    private final Transport transport;
    private final ConnectionMetrics metrics;
    private final Owner owner;
    private final InputBacklog backlog = new InputBacklog();
    private final Runnable continueDecoding = this::continueDecoding;
    private boolean continueScheduled;
    private boolean endAfterBacklog;
    private boolean pausedByUser;
    private boolean pausedByBudget;
    private boolean pausedForOutput;
    private boolean receiving;

    Reading(FrameDecoder decoder, Inbound inbound, SessionState state, Scheduler scheduler, Transport transport,
            ConnectionMetrics metrics, Owner owner) {
        this.decoder = decoder;
        this.inbound = inbound;
        this.state = state;
        this.scheduler = scheduler;
        this.transport = transport;
        this.metrics = metrics;
        this.owner = owner;
    }

    /** Whether input is being decoded now: what it makes the session send is accounted at its end. */
    boolean receiving() {
        return receiving;
    }

    /** Decodes {@code in}, or keeps it behind pending output. */
    void receive(ByteBuffer in) {
        receiving = true;
        try {
            if (!backlog.isEmpty() || inbound.decodePending()) {
                backlog.keep(in);
            } else {
                decode(in);
                if (inbound.decodePending() && !state.inputClosed()) {
                    backlog.keep(in);
                    yieldToLoop();
                }
            }
        } finally {
            receiving = false;
        }
    }

    /**
     * Whether an end of input must wait for input kept behind pending output; if so, it is taken
     * once that input is decoded.
     */
    boolean deferEnd() {
        if (pausedForOutput && !state.inputClosed()) {
            endAfterBacklog = true;
            return true;
        }
        return false;
    }

    void pauseByUser(boolean paused) {
        pausedByUser = paused;
        update();
    }

    void pauseByBudget(boolean paused) {
        pausedByBudget = paused;
        update();
        if (!paused && pausedForOutput) {
            scheduleContinue();
        }
    }

    /** The input kept, in bytes. */
    long heldBytes() {
        return backlog.heldBytes();
    }

    /** Lets go of kept input: the session has closed. */
    void clear() {
        backlog.clear();
    }

    /** Decodes {@code in}, or with null the next slice of pending output. */
    private void decode(ByteBuffer in) {
        try {
            if (in == null) {
                inbound.nextSlice();
            } else {
                decoder.decode(in, inbound);
            }
        } catch (WebSocketException e) {
            owner.failForPeer(e);
        } catch (RuntimeException | Error e) {
            // An extension's bug or memory running out: this connection fails, the loop goes on.
            if (e instanceof OutOfMemoryError) {
                LOG.log(outOfMemoryLogged.compareAndSet(false, true) ? ERROR : DEBUG,
                        "out of memory reading from " + transport.remoteAddress() + "; closing with 1011", e);
            } else {
                LOG.log(WARNING, "unexpected failure reading from " + transport.remoteAddress() + "; closing with 1011", e);
            }
            owner.fail(CloseCodes.INTERNAL_ERROR, "internal error", e);
        }
    }

    private void yieldToLoop() {
        pausedForOutput = true;
        update();
        scheduleContinue();
    }

    private void scheduleContinue() {
        if (!continueScheduled) {
            continueScheduled = true;
            scheduler.execute(continueDecoding);
        }
    }

    /** One slice of pending output, then (once none is left) the input that waited for it. */
    private void continueDecoding() {
        continueScheduled = false;
        if (state.inputClosed() || pausedByBudget) {
            return; // closed: nothing more to read; paused: the budget resumes it
        }
        receiving = true;
        try {
            nextSliceThenBacklog();
        } finally {
            receiving = false;
        }
        owner.afterInput();
    }

    private void nextSliceThenBacklog() {
        if (inbound.decodePending()) {
            decode(null);
            metrics.sliceDecoded();
        }
        if (!state.inputClosed() && !inbound.decodePending() && !backlog.isEmpty()) {
            ByteBuffer rest = backlog.view();
            decode(rest);
            backlog.consumed(rest);
        }
        if (!state.inputClosed() && inbound.decodePending()) {
            scheduleContinue();
        } else {
            backlog.clear();
            pausedForOutput = false;
            update();
            if (endAfterBacklog) {
                owner.endOfInput();
            }
        }
    }

    private void update() {
        if (!state.isClosed()) {
            transport.pauseReading(pausedByUser || pausedByBudget || pausedForOutput);
        }
    }
}
