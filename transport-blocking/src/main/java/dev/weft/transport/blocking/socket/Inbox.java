package dev.weft.transport.blocking.socket;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.FrameObserver;
import dev.weft.api.Message;
import dev.weft.api.PartialMessageHandler;
import dev.weft.api.WebSocketHandler;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The handler of a connection that the application reads with blocking calls: it keeps what
 * arrives until a receive call takes it, or, once a handler is {@linkplain #attach attached},
 * passes every event on to that handler instead. Which events it keeps depends on how the
 * connection is read: whole messages here; frames in {@link Frames}; message parts in {@link Parts}
 * (the engine tells them apart by the interfaces the handler implements, when the session is made).
 * Callbacks run under the session's lock; receive calls take from it on their own thread.
 */
public class Inbox implements WebSocketHandler {

    /** A part of a message taken in parts: {@code text} or {@code binary} is null. */
    public record Part(String text, ByteBuffer binary, boolean last) {
    }

    private final ConcurrentLinkedQueue<Object> kept = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile WebSocketHandler attached;
    private volatile boolean discarding;
    private volatile int closeCode = CloseCodes.ABNORMAL_CLOSURE;
    private volatile String closeReason = "";

    /** An inbox that keeps messages, frames or parts. */
    public static Inbox of(Kept what) {
        return switch (what) {
            case MESSAGES -> new Inbox();
            case FRAMES -> new Frames();
            case PARTS -> new Parts();
        };
    }

    /** What an inbox keeps. */
    public enum Kept { MESSAGES, FRAMES, PARTS }

    /** The next kept event ({@link Message}, {@link Frame} or {@link Part}), or null. */
    public Object poll() {
        return kept.poll();
    }

    /** Whether the connection has closed. */
    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Waits until the connection has closed; false if {@code nanos} passed first. */
    public boolean awaitClosed(long nanos) throws InterruptedException {
        // Closed already is an answer even for an interrupted thread, which await would refuse.
        return isClosed() || closed.await(nanos, TimeUnit.NANOSECONDS);
    }

    public int closeCode() {
        return closeCode;
    }

    public String closeReason() {
        return closeReason;
    }

    /** From now on, drops what arrives: the application is closing and reads no more. */
    public void discard() {
        discarding = true;
        kept.clear();
    }

    /**
     * Passes what is kept, and every later event, to {@code handler}, after its {@code onOpen}.
     * Call under the session's lock, so that no event comes in between.
     */
    public void attach(Connection connection, WebSocketHandler handler) {
        handler.onOpen(connection);
        for (Object event; (event = kept.poll()) != null; ) {
            replay(connection, handler, event);
        }
        attached = handler;
        if (isClosed()) {
            handler.onClose(connection, closeCode, closeReason);
        }
    }

    /** Gives a kept event to a handler attached late. */
    void replay(Connection connection, WebSocketHandler handler, Object event) {
        if (event instanceof Message.Text t) {
            if (handler instanceof PartialMessageHandler p) {
                p.onTextPart(connection, t.text(), true);
            } else {
                handler.onText(connection, t.text());
            }
        } else if (event instanceof Message.Binary b) {
            if (handler instanceof PartialMessageHandler p) {
                p.onBinaryPart(connection, b.data(), true);
            } else {
                handler.onBinary(connection, b.data());
            }
        }
    }

    /** Keeps {@code event} unless a handler is attached (then {@code forward} gets it) or it is discarded. */
    final void keep(Object event) {
        if (!discarding) {
            kept.add(event);
        }
    }

    final WebSocketHandler attached() {
        return attached;
    }

    @Override
    public void onText(Connection connection, String text) {
        WebSocketHandler h = attached;
        if (h == null) {
            keep(Message.text(text));
        } else {
            h.onText(connection, text);
        }
    }

    @Override
    public void onBinary(Connection connection, ByteBuffer data) {
        WebSocketHandler h = attached;
        if (h == null) {
            keep(Message.binary(data));
        } else {
            h.onBinary(connection, data);
        }
    }

    @Override
    public void onPing(Connection connection, ByteBuffer data) {
        WebSocketHandler h = attached;
        if (h != null) {
            h.onPing(connection, data);
        }
    }

    @Override
    public void onPong(Connection connection, ByteBuffer data) {
        WebSocketHandler h = attached;
        if (h != null) {
            h.onPong(connection, data);
        }
    }

    @Override
    public void onWritable(Connection connection) {
        WebSocketHandler h = attached;
        if (h != null) {
            h.onWritable(connection);
        }
    }

    @Override
    public void onError(Connection connection, Throwable error) {
        WebSocketHandler h = attached;
        if (h != null) {
            h.onError(connection, error);
        }
    }

    @Override
    public void onClose(Connection connection, int code, String reason) {
        closeCode = code;
        closeReason = reason;
        closed.countDown();
        WebSocketHandler h = attached;
        if (h != null) {
            h.onClose(connection, code, reason);
        }
    }

    /** Keeps each frame (a copy: the engine reuses its buffer); messages go to an attached handler only. */
    static final class Frames extends Inbox implements FrameObserver {
        @Override
        public void onFrame(Connection connection, Frame frame) {
            if (attached() instanceof FrameObserver o) {
                o.onFrame(connection, frame);
            } else if (attached() == null) {
                keep(frame.withPayload(copy(frame.payload())));
            }
        }

        @Override
        public void onText(Connection connection, String text) {
            if (attached() != null) {
                super.onText(connection, text);
            }
        }

        @Override
        public void onBinary(Connection connection, ByteBuffer data) {
            if (attached() != null) {
                super.onBinary(connection, data);
            }
        }

        @Override
        void replay(Connection connection, WebSocketHandler handler, Object event) {
            if (handler instanceof FrameObserver o) {
                o.onFrame(connection, (Frame) event);
            }
        }

        private static ByteBuffer copy(ByteBuffer payload) {
            return ByteBuffer.allocate(payload.remaining()).put(payload).flip();
        }
    }

    /** Keeps each part of each message, as the engine hands them over. */
    static final class Parts extends Inbox implements PartialMessageHandler {
        @Override
        public void onTextPart(Connection connection, String part, boolean last) {
            if (attached() instanceof PartialMessageHandler p) {
                p.onTextPart(connection, part, last);
            } else {
                keep(new Part(part, null, last));
            }
        }

        @Override
        public void onBinaryPart(Connection connection, ByteBuffer part, boolean last) {
            if (attached() instanceof PartialMessageHandler p) {
                p.onBinaryPart(connection, part, last);
            } else {
                keep(new Part(null, part, last));
            }
        }

        @Override
        void replay(Connection connection, WebSocketHandler handler, Object event) {
            Part part = (Part) event;
            if (part.text() != null) {
                ((PartialMessageHandler) handler).onTextPart(connection, part.text(), part.last());
            } else {
                ((PartialMessageHandler) handler).onBinaryPart(connection, part.binary(), part.last());
            }
        }
    }
}
