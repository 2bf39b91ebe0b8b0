package dev.weft.cluster;

import dev.weft.api.Connection;
import dev.weft.api.ConnectionState;
import dev.weft.api.Message;
import dev.weft.api.metrics.WebSocketMetrics;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Named groups of a server's connections, for broadcasting to each group. A connection leaves
 * every room when it closes. A room exists while it has members. Thread-safe.
 *
 * <p>Made with {@code new Rooms()}, they reach this node's connections only. Started with a
 * {@link Broker} ({@link #builder()}), a broadcast also reaches the room's members on every other
 * node of the cluster, and this node hears the rooms it has members in. Across nodes:
 * <ul>
 * <li>delivery is at most once: what the engine loses while down is lost, and counted — as
 *     {@link RoomsStats#dropped()} where it was published, and as {@link RoomsStats#missed()} where
 *     a gap in the publisher's sequence numbers shows it;
 * <li>messages from one node to one room arrive at every other node in the order that node
 *     broadcast them; messages from different nodes may interleave differently on each node;
 * <li>a connection excluded from a broadcast ({@link #broadcast(String, Message, Connection)}) is
 *     skipped wherever it is, even when another process publishes naming its {@link #idOf id};
 * <li>a broadcast never waits for the broker: it hands the message to the local members and queues
 *     it (bounded) for the others;
 * <li>{@link #memberCount} adds the counts other nodes publish every few seconds, so it lags.
 * </ul>
 *
 * <p>Every change of membership happens inside the map's atomic update of its room, so a room's
 * set is never changed once it has left the map: a member that joins while the last one leaves
 * lands in the room that broadcasts see, never in a set that was just dropped. A connection that
 * is a member from before a broadcast is called until after it returns receives it.
 */
public final class Rooms implements AutoCloseable {

    /** What a full outbound queue gives up: the message being broadcast, or the oldest queued one. */
    public enum Overflow {
        /** Drop the message being queued (the default). */
        DROP_NEWEST,
        /** Drop the oldest queued message to make room. */
        DROP_OLDEST
    }

    /** How rooms map to broker channels. */
    public enum ChannelMode {
        /**
         * One channel per room, subscribed while the room has local members (the default): a node
         * hears only its own rooms.
         */
        PER_ROOM,
        /** One channel for all rooms: one subscription per node, but every node hears every room. */
        SINGLE
    }

    private final ConcurrentHashMap<String, Set<Connection>> rooms = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Connection, String> ids = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Connection> byId = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private final String node;
    private final BrokerLink link;
    private final List<Iterable<? extends Connection>> audiences = new CopyOnWriteArrayList<>();
    private volatile Fanout fanout = Fanout.EACH;

    /** Rooms of this node only; give them to a server's builder to share them with handler factories. */
    public Rooms() {
        this.node = NodeId.random();
        this.link = null;
    }

    private Rooms(Builder b) {
        this.node = b.node;
        this.link = new BrokerLink(new BrokerLink.Settings(b.broker, b.node,
                new Channels(b.prefix, b.mode == ChannelMode.PER_ROOM), b.outboundQueue, b.overflow, b.inboundQueue,
                b.inFlight, b.presenceInterval, b.retry, b.startWithoutBroker, b.metrics), new Local());
    }

    /** Rooms that span the nodes of a cluster, through a broker. */
    public static Builder builder() {
        return new Builder();
    }

    /** This node's id: in every envelope it publishes and every connection id it hands out. */
    public String node() {
        return node;
    }

    /**
     * Called by each server these rooms are given to, as it starts: how it sends one message to
     * many connections (encoding it once for all that can take the same frame), and a live view of
     * every connection it has open, which {@link #broadcastToAll} reaches. An application need not
     * call it.
     */
    public void serve(Fanout fanout, Iterable<? extends Connection> everyone) {
        this.fanout = Objects.requireNonNull(fanout, "fanout");
        audiences.add(Objects.requireNonNull(everyone, "everyone"));
    }

    /** Called by a server that stops: {@link #broadcastToAll} no longer reaches {@code everyone}. */
    public void stopServing(Iterable<? extends Connection> everyone) {
        audiences.remove(everyone);
    }

    /**
     * Adds {@code connection} to {@code room}.
     *
     * @param room its name: any non-empty string
     * @return false if it was already a member, or is closed (a closed connection joins nothing)
     * @throws IllegalArgumentException if {@code room} is empty
     */
    public boolean join(String room, Connection connection) {
        EnvelopeCodec.checkRoom(room);
        if (connection.state() == ConnectionState.CLOSED) {
            return false;
        }
        boolean[] added = new boolean[1];
        boolean[] created = new boolean[1];
        rooms.compute(room, (r, members) -> {
            Set<Connection> joined = members == null ? ConcurrentHashMap.newKeySet() : members;
            added[0] = joined.add(connection);
            created[0] = members == null;
            return joined;
        });
        if (created[0] && link != null) {
            link.roomChanged(room); // after the map shows the room, never before: the link reads it
        }
        // Closed meanwhile: its leaveAll may have passed this room already, so leave on its behalf.
        // (CLOSED is final, and leaveAll runs after it is reached.)
        if (added[0] && connection.state() == ConnectionState.CLOSED) {
            leave(room, connection);
            return false;
        }
        return added[0];
    }

    /** Removes {@code connection} from {@code room}; returns false if it was not a member. */
    public boolean leave(String room, Connection connection) {
        boolean[] removed = new boolean[1];
        boolean[] emptied = new boolean[1];
        rooms.computeIfPresent(room, (r, members) -> {
            removed[0] = members.remove(connection);
            emptied[0] = members.isEmpty();
            return emptied[0] ? null : members;
        });
        if (emptied[0] && link != null) {
            link.roomChanged(room); // after the map has dropped the room, never before: the link reads it
        }
        return removed[0];
    }

    /**
     * Removes {@code connection} from every room it is in, and forgets its {@link #idOf id}. A join
     * to another room made at the same time may or may not be undone; once the connection is closed,
     * none can be. Servers call this when a connection closes.
     */
    public void leaveAll(Connection connection) {
        for (String room : rooms.keySet()) {
            leave(room, connection);
        }
        String id = ids.remove(connection);
        if (id != null) {
            byId.remove(id);
        }
    }

    /** The members of {@code room} on this node now (a copy). */
    public Set<Connection> members(String room) {
        Set<Connection> members = rooms.get(room);
        return members == null ? Set.of() : Set.copyOf(members);
    }

    /** The rooms that have members on this node now. */
    public Set<String> names() {
        return Set.copyOf(rooms.keySet());
    }

    /**
     * How many members {@code room} has across the cluster: this node's now, and the others' as
     * they last published them (every few seconds, so it lags joins and leaves elsewhere).
     */
    public int memberCount(String room) {
        Set<Connection> members = rooms.get(room);
        int here = members == null ? 0 : members.size();
        return link == null ? here : here + link.remoteMembers(room);
    }

    /**
     * The id of {@code connection} across the cluster ({@code NODE:N}), to exclude it from a
     * broadcast made elsewhere: another process names it in an envelope's {@code EXCEPT}. Kept
     * until the connection leaves every room ({@link #leaveAll}).
     */
    public String idOf(Connection connection) {
        return ids.computeIfAbsent(connection, c -> {
            String id = node + ":" + lastId.incrementAndGet();
            byId.put(id, c);
            return id;
        });
    }

    /**
     * Sends {@code message} to every member of {@code room}: here, encoding it once, and through the
     * broker to the other nodes. Members that join or leave while it runs may or may not receive it.
     *
     * @return how many members on this node it was handed to
     */
    public int broadcast(String room, Message message) {
        return broadcast(room, message, null);
    }

    /**
     * Sends {@code message} to every member of {@code room} except {@code except} (a sender that
     * need not hear its own message), on every node.
     *
     * @param except a connection to skip, or null
     * @return how many members on this node it was handed to
     */
    public int broadcast(String room, Message message, Connection except) {
        EnvelopeCodec.checkRoom(room);
        Objects.requireNonNull(message, "message");
        if (link != null) {
            link.publish(room, message, exceptId(except));
        }
        return deliver(room, message, except);
    }

    /**
     * Sends {@code message} to every open connection of the servers these rooms serve, on every
     * node, except {@code except}; what a server's {@code broadcast(Message)} does.
     *
     * @param except a connection to skip, or null
     * @return how many connections on this node it was handed to
     */
    public int broadcastToAll(Message message, Connection except) {
        Objects.requireNonNull(message, "message");
        if (link != null) {
            link.publishToAll(message, exceptId(except));
        }
        return deliverToAll(message, except);
    }

    /** What the rooms have sent and received through their broker; {@link RoomsStats#NONE} without one. */
    public RoomsStats stats() {
        return link == null ? RoomsStats.NONE : link.stats();
    }

    /** Whether the broker is reachable; always up without one. */
    public BrokerHealth health() {
        return link == null ? BrokerHealth.up("this node only") : link.health();
    }

    /**
     * Completes once every join and leave made before the call has reached the broker: after it,
     * messages other nodes publish to a room this node joined arrive here. At once without a broker
     * or once {@link #close closed}; later, if the broker is down, once it is back.
     */
    public CompletionStage<Void> settled() {
        return link == null ? CompletableFuture.completedFuture(null) : link.settled();
    }

    /** Stops the broker link (and closes the broker); local rooms keep working. Idempotent. */
    @Override
    public void close() {
        if (link != null) {
            link.close();
        }
    }

    /**
     * The id an envelope names {@code except} by. A closed connection is given none: its
     * {@link #leaveAll} has run or will not find it, so the id would never be forgotten.
     */
    private String exceptId(Connection except) {
        if (except == null) {
            return null;
        }
        return except.state() == ConnectionState.CLOSED ? ids.get(except) : idOf(except);
    }

    private int deliver(String room, Message message, Connection except) {
        // A member present throughout keeps this set non-empty, so it stays the room's set, and the
        // set's iterator sees every element present when it starts and not removed since.
        Set<Connection> members = rooms.get(room);
        if (members == null) {
            return 0;
        }
        return fanout.send(message, except == null ? members : () -> new Skipping(members.iterator(), except));
    }

    private int deliverToAll(Message message, Connection except) {
        int sent = 0;
        for (Iterable<? extends Connection> everyone : audiences) {
            sent += fanout.send(message, except == null ? everyone : () -> new Skipping(everyone.iterator(), except));
        }
        return sent;
    }

    /** The link's view of the rooms. */
    private final class Local implements BrokerLink.Local {
        @Override
        public boolean hasMembers(String room) {
            return rooms.containsKey(room);
        }

        @Override
        public Set<String> rooms() {
            return rooms.keySet();
        }

        @Override
        public Map<String, Integer> counts() {
            return rooms.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
        }

        @Override
        public void deliver(String room, Message message, String except) {
            Rooms.this.deliver(room, message, except == null ? null : byId.get(except));
        }

        @Override
        public void deliverToAll(Message message, String except) {
            Rooms.this.deliverToAll(message, except == null ? null : byId.get(except));
        }
    }

    /** A room's members but one, without a copy. */
    private static final class Skipping implements Iterator<Connection> {
        private final Iterator<? extends Connection> members;
        private final Connection skipped;
        private Connection next;

        Skipping(Iterator<? extends Connection> members, Connection skipped) {
            this.members = members;
            this.skipped = skipped;
        }

        @Override
        public boolean hasNext() {
            while (next == null && members.hasNext()) {
                Connection c = members.next();
                next = c == skipped ? null : c;
            }
            return next != null;
        }

        @Override
        public Connection next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Connection c = next;
            next = null;
            return c;
        }
    }

    /** Rooms joined to a cluster through a broker. */
    public static final class Builder {
        private Broker broker;
        private String node = NodeId.random();
        private String prefix = "weft:";
        private ChannelMode mode = ChannelMode.PER_ROOM;
        private int outboundQueue = 10_000;
        private Overflow overflow = Overflow.DROP_NEWEST;
        private int inboundQueue = 10_000;
        private int inFlight = 1_000;
        private Duration presenceInterval = Duration.ofSeconds(5);
        private Duration retry = Duration.ofSeconds(2);
        private boolean startWithoutBroker;
        private WebSocketMetrics metrics = WebSocketMetrics.NONE;

        private Builder() {
        }

        /** The broker to the other nodes (required); the rooms own it from {@link #start()} on. */
        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** This node's id (default: random); unique in the cluster, see {@link NodeId#isValid}. */
        public Builder node(String node) {
            this.node = NodeId.check(node);
            return this;
        }

        /**
         * What every channel name starts with (default {@code weft:}): rooms are on
         * {@code PREFIX room:ROOM} (or {@code PREFIX rooms} in {@link ChannelMode#SINGLE}), counts on
         * {@code PREFIX presence}. Nodes that share a prefix share rooms.
         */
        public Builder channelPrefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** One channel per room (the default) or one for all. */
        public Builder channels(ChannelMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Messages queued for the broker before the overflow policy applies (default 10,000), and
         * the policy (default: drop the newest, counted in {@link RoomsStats#dropped()}).
         */
        public Builder outboundQueue(int messages, Overflow overflow) {
            this.outboundQueue = positive(messages, "outboundQueue");
            this.overflow = Objects.requireNonNull(overflow, "overflow");
            return this;
        }

        /** Messages from the broker queued for delivery here before more are dropped (default 10,000). */
        public Builder inboundQueue(int messages) {
            this.inboundQueue = positive(messages, "inboundQueue");
            return this;
        }

        /** Publishes the broker may have unanswered at once (default 1,000); the queue holds the rest. */
        public Builder inFlight(int publishes) {
            this.inFlight = positive(publishes, "inFlight");
            return this;
        }

        /** How often this node publishes its member counts (default 5 s); they hold for three times as long. */
        public Builder presenceInterval(Duration interval) {
            if (interval.toMillis() < 1 || interval.toMillis() * 3 > EnvelopeCodec.MAX_TTL_MS) {
                throw new IllegalArgumentException("presence interval out of range: " + interval);
            }
            this.presenceInterval = interval;
            return this;
        }

        /** How long to wait before trying again what the broker failed (default 2 s). */
        public Builder retry(Duration retry) {
            if (retry.isNegative() || retry.isZero()) {
                throw new IllegalArgumentException("retry must be positive: " + retry);
            }
            this.retry = retry;
            return this;
        }

        /**
         * Whether {@link #start()} succeeds when the broker cannot be reached (default false: it
         * throws). If true, the rooms serve this node only, log why, and join the cluster once the
         * broker can be reached.
         */
        public Builder startWithoutBroker(boolean allowed) {
            this.startWithoutBroker = allowed;
            return this;
        }

        /** Where gaps and drops are reported (default: nowhere). */
        public Builder metrics(WebSocketMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Starts the broker and the rooms' two threads (one publishes, one delivers).
         *
         * @throws BrokerException if the broker cannot be reached and {@link #startWithoutBroker} is
         *     false; the broker is closed
         */
        public Rooms start() throws BrokerException {
            if (broker == null) {
                throw new IllegalStateException("no broker: use new Rooms() for rooms of one node");
            }
            Rooms rooms = new Rooms(this);
            rooms.link.start();
            return rooms;
        }

        private static int positive(int n, String name) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be positive: " + n);
            }
            return n;
        }
    }
}
