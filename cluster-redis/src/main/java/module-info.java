/**
 * Rooms across nodes on Redis Pub/Sub: {@link dev.weft.cluster.redis.RedisBroker}, a
 * {@link dev.weft.cluster.Broker} on Lettuce, found for {@code redis://} and {@code rediss://} URIs
 * by {@link dev.weft.cluster.BrokerFactory#forUri}.
 */
// Lettuce names its module in its manifest only (lettuce.core): an automatic module, on purpose here.
@SuppressWarnings("requires-automatic")
module dev.weft.cluster.redis {
    requires transitive dev.weft.cluster;
    requires lettuce.core;
    // ClientTlsLayer replaces the SslHandler Lettuce puts on a rediss:// channel.
    requires io.netty.transport;
    requires io.netty.handler;

    exports dev.weft.cluster.redis;

    provides dev.weft.cluster.BrokerFactory with dev.weft.cluster.redis.RedisBrokerFactory;
}
