package dev.weft.transport.nio.client;

import dev.weft.core.handshake.ProxyTunnel;
import dev.weft.transport.nio.NetworkLayer;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP CONNECT tunnel under a client connection's own layer (plain TCP, or TLS, whose handshake
 * and host-name check then run with the server through the tunnel): it sends the {@code CONNECT}
 * as soon as TCP is up, runs a {@link ProxyTunnel} on the proxy's answer, and opens the layer above
 * only once the proxy has answered 2xx; a refusal fails the connection. From then on it passes
 * every call through. Loop thread only, as every layer.
 */
public final class TunnelLayer implements NetworkLayer {

    private final NetworkLayer inner;
    private final ProxyTunnel tunnel;
    private Link link;
    private boolean established;

    /**
     * @param inner the layer the connection would have without a proxy
     * @param tunnel the tunnel to open first
     */
    public TunnelLayer(NetworkLayer inner, ProxyTunnel tunnel) {
        this.inner = inner;
        this.tunnel = tunnel;
    }

    @Override
    public void open(Link link) {
        this.link = link;
        link.writeNetwork(tunnel.requestBytes(), null, null);
    }

    @Override
    public void read(ByteBuffer fromNetwork) {
        if (established) {
            inner.read(fromNetwork);
            return;
        }
        ProxyTunnel.Step step = tunnel.feed(fromNetwork);
        if (step instanceof ProxyTunnel.Established tunnelled) {
            established = true;
            inner.open(link);
            if (tunnelled.leftover().hasRemaining()) {
                inner.read(tunnelled.leftover());
            }
        } else if (step instanceof ProxyTunnel.Refused refused) {
            link.fail(refused.cause());
        }
    }

    // The layer above opens the protocol, so nothing is written here before the tunnel is up.
    @Override
    public void write(ByteBuffer head, ByteBuffer body, CompletableFuture<Void> written) {
        inner.write(head, body, written);
    }

    @Override
    public void close() {
        if (established) {
            inner.close();
        } else {
            link.closeNetwork();
        }
    }

    @Override
    public void endOfInput() {
        if (established) {
            inner.endOfInput();
        } else {
            link.fail(tunnel.endOfInput().cause());
        }
    }
}
