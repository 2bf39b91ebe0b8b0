/**
 * Rooms that span servers. {@link dev.weft.cluster.Rooms} are named groups of a server's
 * connections; given a {@link dev.weft.cluster.Broker}, a broadcast to a room also reaches its
 * members on every other node subscribed through the same pub/sub engine. Messages cross the engine
 * as {@link dev.weft.cluster.Envelope}s, a documented text-headed format other processes may publish
 * too. Depends on the api only; an engine's binding (Redis in {@code weft-cluster-redis}) is a
 * small module on this one.
 */
module dev.weft.cluster {
    requires transitive dev.weft.api;

    exports dev.weft.cluster;

    uses dev.weft.cluster.BrokerFactory;
}
