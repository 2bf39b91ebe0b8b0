package dev.weft.cluster.redis;

import dev.weft.api.tls.ClientTls;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLEngine;

/**
 * Puts a {@link ClientTls}'s TLS on every connection to one Redis: replaces the {@link SslHandler}
 * Lettuce made for a {@code rediss://} connection with one whose engine comes from the ClientTls's
 * context and parameters, as every Weft transport makes its engines.
 *
 * <p>Lettuce takes TLS settings only as the parts of a Netty {@code SslContextBuilder} (trust and key
 * managers, files), and an {@code SSLContext} does not give up its trust managers; so a context the
 * user made ({@link ClientTls#of}) can only be used whole, by making the engine from it. Lettuce calls
 * {@link #afterChannelInitialized} once its own handlers are in place and before the channel
 * connects, so no byte has passed through the handler replaced.
 */
final class ClientTlsLayer implements NettyCustomizer {

    private final ClientTls tls;
    private final String host;
    private final int port;

    /** For connections to {@code host} (without the brackets of an IPv6 address) and {@code port}. */
    ClientTlsLayer(ClientTls tls, String host, int port) {
        this.tls = tls;
        this.host = host;
        this.port = port;
    }

    @Override
    public void afterChannelInitialized(Channel channel) {
        SslHandler lettuces = channel.pipeline().get(SslHandler.class);
        if (lettuces == null) {
            return; // not a TLS connection: nothing to replace
        }
        SSLEngine engine = tls.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(tls.parameters(host, port));
        SslHandler ours = new SslHandler(engine);
        ours.setHandshakeTimeoutMillis(lettuces.getHandshakeTimeoutMillis());
        channel.pipeline().replace(lettuces, null, ours);
    }
}
