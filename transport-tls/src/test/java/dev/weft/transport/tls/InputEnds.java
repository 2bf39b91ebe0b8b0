package dev.weft.transport.tls;

import dev.weft.api.Role;
import dev.weft.core.session.Scheduler;
import dev.weft.transport.nio.NetworkLayer;

import java.util.concurrent.Executor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Wraps the layers of a factory to tell, for each connection whose input ends, what ended it: the
 * layer (close_notify) before the TCP connection ended, or the TCP end itself. Thread-safe.
 */
final class InputEnds implements NetworkLayer.Factory {

    /** One per connection whose protocol input ended: {@code "close_notify"} or {@code "tcp"}. */
    final BlockingQueue<String> ends = new LinkedBlockingQueue<>();
    private final NetworkLayer.Factory inner;

    InputEnds(NetworkLayer.Factory inner) {
        this.inner = inner;
    }

    @Override
    public boolean isSecure() {
        return inner.isSecure();
    }

    @Override
    public NetworkLayer create(Role role, String peerHost, int peerPort) {
        NetworkLayer layer = inner.create(role, peerHost, peerPort);
        return new NetworkLayer() {
            private boolean tcpEnded;

            @Override
            public void open(Link link) {
                layer.open(new Link() {
                    @Override
                    public Executor loop() {
                        return link.loop();
                    }

                    @Override
                    public void writeNetwork(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
                        link.writeNetwork(head, body, written);
                    }

                    @Override
                    public void closeNetwork() {
                        link.closeNetwork();
                    }

                    @Override
                    public void readApplication(ByteBuffer bytes) {
                        link.readApplication(bytes);
                    }

                    @Override
                    public void applicationOpen() {
                        link.applicationOpen();
                    }

                    @Override
                    public void applicationEndOfInput() {
                        ends.add(tcpEnded ? "tcp" : "close_notify");
                        link.applicationEndOfInput();
                    }

                    @Override
                    public void fail(IOException cause) {
                        link.fail(cause);
                    }
                });
            }

            @Override
            public void read(ByteBuffer fromNetwork) {
                layer.read(fromNetwork);
            }

            @Override
            public void write(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
                layer.write(head, body, written);
            }

            @Override
            public void close() {
                layer.close();
            }

            @Override
            public void endOfInput() {
                tcpEnded = true;
                layer.endOfInput();
            }
        };
    }
}
