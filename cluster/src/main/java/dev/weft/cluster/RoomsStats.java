package dev.weft.cluster;

/**
 * What a node's rooms have sent and received through their broker, since they started.
 *
 * @param published envelopes the broker took
 * @param dropped messages this node meant to publish and did not: its outbound queue was full, or
 *     the broker failed the publish (down, say)
 * @param received envelopes that arrived from other nodes
 * @param missed messages other nodes published that never arrived, counted from the gaps in their
 *     sequence numbers (at most once: nothing is sent again)
 * @param malformed arrivals that were not envelopes, dropped
 * @param overflowed arrivals dropped because this node's delivery queue was full
 */
public record RoomsStats(long published, long dropped, long received, long missed, long malformed, long overflowed) {

    /** Nothing yet. */
    public static final RoomsStats NONE = new RoomsStats(0, 0, 0, 0, 0, 0);
}
