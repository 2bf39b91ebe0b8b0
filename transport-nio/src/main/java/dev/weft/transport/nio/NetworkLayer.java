package dev.weft.transport.nio;

import dev.weft.api.Role;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A layer between a connection's socket and its WebSocket protocol, such as TLS: every byte read
 * from the network passes {@link #read} before the protocol sees it, and every byte the protocol
 * sends passes {@link #write} before the network does. Plain TCP is the layer that changes
 * nothing.
 *
 * <p>One instance per connection, called on the connection's event-loop thread only. A layer may
 * hold back the protocol (a TLS handshake) until it calls {@link Link#applicationOpen()}; until then
 * it must not pass the protocol's bytes to the network.
 */
public interface NetworkLayer {

    /** The TCP connection is up; the layer may start its own handshake. Called once, first. */
    void open(Link link);

    /**
     * Bytes read from the network, from position to limit. The buffer is the event loop's: consume
     * it, or copy what must wait (such as a partial record).
     */
    void read(ByteBuffer fromNetwork);

    /**
     * Protocol bytes to send: {@code head}, then {@code body} if not null.
     *
     * @param written to complete once their protected form is written to the network, or
     *     exceptionally; may be null
     */
    void write(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written);

    /**
     * Whether the layer hands the protocol's bytes to the network unchanged, so that the connection
     * may queue them itself (and write a frame's header straight into its queue).
     */
    default boolean passesThrough() {
        return false;
    }

    /** The protocol is done sending: flush, end the layer's own session (TLS close_notify), close the network. */
    void close();

    /** The peer closed its side of the TCP connection. */
    void endOfInput();

    /** What a layer sees of its connection: the network below and the protocol above. Loop thread only. */
    interface Link {

        /** Runs a task on the connection's event loop thread, after those already queued. Any thread. */
        Executor loop();

        /** Queues bytes for the network (after those already queued). */
        void writeNetwork(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written);

        /** Closes the network once what is queued has been written. */
        void closeNetwork();

        /** Hands bytes to the protocol (the opening handshake, then the session); it consumes them all. */
        void readApplication(ByteBuffer bytes);

        /** The layer is ready for protocol bytes: a client now sends its upgrade request. Call once. */
        void applicationOpen();

        /** The peer ended its side (after all its bytes were handed on). */
        void applicationEndOfInput();

        /** The layer failed (a TLS alert, say): the connection is closed and the failure reported. */
        void fail(IOException cause);
    }

    /** Makes a layer for each connection of a server or client. Thread-safe. */
    interface Factory {

        /**
         * @param role which end the local side is
         * @param peerHost the host name the client connects to (for SNI and host-name checks), or
         *     the peer's address on a server
         * @param peerPort the peer's port
         */
        NetworkLayer create(Role role, String peerHost, int peerPort);

        /** Whether the layer secures the connection ({@code wss://}); plain TCP does not. */
        default boolean isSecure() {
            return false;
        }
    }

    /** Plain TCP: passes every byte as it is. */
    Factory PLAIN = (role, host, port) -> new NetworkLayer() {
        private Link link;

        @Override
        public void open(Link link) {
            this.link = link;
            link.applicationOpen();
        }

        @Override
        public void read(ByteBuffer fromNetwork) {
            link.readApplication(fromNetwork);
        }

        @Override
        public void write(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
            link.writeNetwork(head, body, written);
        }

        @Override
        public boolean passesThrough() {
            return true;
        }

        @Override
        public void close() {
            link.closeNetwork();
        }

        @Override
        public void endOfInput() {
            link.applicationEndOfInput();
        }
    };
}
