package dev.weft.metrics.micrometer;

import dev.weft.api.Role;
import dev.weft.api.metrics.CloseSide;
import dev.weft.api.metrics.ConnectionMetrics;
import dev.weft.api.metrics.MemoryUse;
import dev.weft.api.metrics.WebSocketMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Weft's metrics listener on a Micrometer {@link MeterRegistry}: give it to a server's or a
 * client's builder, and every transport's events become meters.
 *
 * <pre>{@code
 * MeterRegistry registry = ...;  // Prometheus, OTLP, Datadog, or a SimpleMeterRegistry in tests
 * WebSocketServer server = WebSocketServer.builder()
 *         .metrics(MicrometerMetrics.of(registry))
 *         .endpoint("/chat/*", ChatHandler::new)
 *         .build().start();
 * }</pre>
 *
 * <h2>Meters</h2>
 * Tagged with {@code role} ({@code server}, {@code client}) and {@code endpoint} (the pattern the
 * endpoint was registered with, such as {@code /chat/*}, never the request's path, so the number of
 * series stays bounded; {@code none} on a client, and for sockets a {@code SocketAcceptor} adopted):
 * <ul>
 * <li>{@code weft.connections.opened}, {@code weft.connections.active} (a gauge),
 *     {@code weft.connections.closed} (also tagged {@code code}: the code itself for 1000–1015, else
 *     its class, {@code 3xxx}, {@code 4xxx} or {@code other}; and {@code side}: {@code local} or
 *     {@code remote}, the end that began the close);</li>
 * <li>{@code weft.connections.failed} (tagged {@code code}: this end failed the connection for a
 *     protocol error, 1002, 1007, 1008, 1009, or a handler's, 1011);</li>
 * <li>{@code weft.messages.received}, {@code weft.messages.sent}, {@code weft.decode.slices};</li>
 * <li>{@code weft.write.queue.full} (the queue passed its high watermark) and
 *     {@code weft.write.queue.peak} (a distribution summary in bytes: each connection's high-water
 *     mark, recorded as it ends);</li>
 * <li>{@code weft.budget.paused} and {@code weft.budget.closed}: connections the memory budget
 *     stopped reading, or closed with 1013.</li>
 * </ul>
 * Not tagged by endpoint: {@code weft.network.received} and {@code weft.network.sent} (base unit
 * bytes), {@code weft.sockets.active} (TCP connections, in the handshake or after),
 * {@code weft.handshakes.refused} (tagged {@code status}), {@code weft.connections.refused}
 * (tagged {@code cap}), {@code weft.accept.failures}, and the budget's gauges
 * {@code weft.budget.held}, {@code weft.budget.limit} and {@code weft.budget.paused.connections};
 * and, for rooms that span a cluster ({@code weft-cluster}), {@code weft.cluster.missed} (other
 * nodes' messages that never arrived), {@code weft.cluster.dropped} (tagged {@code direction}:
 * {@code out}, not published; {@code in}, dropped on arrival).
 * Every meter also carries the tags given to {@link #of(MeterRegistry, Iterable)}: give each
 * server or client that shares a registry its own (say {@code server=public}), so that their gauges
 * do not collide.
 *
 * <h2>Cost</h2>
 * A connection's meters are looked up once per endpoint and kept; a message costs one counter
 * increment, with no allocation. Thread-safe.
 */
public final class MicrometerMetrics implements WebSocketMetrics {

    /** Close codes with a tag of their own: those RFC 6455 §7.4.1 and the IANA registry define. */
    private static final int FIRST_STANDARD = 1000;
    private static final int LAST_STANDARD = 1015;
    private static final String[] CODE_TAGS = codeTags();
    private static final int HTTP_STATUSES = 600;
    /** The endpoint tag of a client's connections, and of sockets a server adopted. */
    private static final String NO_ENDPOINT = "none";

    private final MeterRegistry registry;
    private final Tags common;
    private final Counter bytesReceived;
    private final Counter bytesSent;
    private final AtomicLong sockets = new AtomicLong();
    private final Counter acceptFailures;
    private final Counter brokerMissed;
    private final Counter brokerDroppedOut;
    private final Counter brokerDroppedIn;
    private final AtomicReferenceArray<Counter> refusedByStatus = new AtomicReferenceArray<>(HTTP_STATUSES);
    private final AtomicReferenceArray<Counter> refusedByCap = new AtomicReferenceArray<>(Refusal.values().length);
    /** The meters of each endpoint, by role and endpoint tag, made as its first connection opens. */
    private final Map<Role, ConcurrentHashMap<String, Endpoint>> endpoints = new EnumMap<>(Map.of(
            Role.SERVER, new ConcurrentHashMap<>(), Role.CLIENT, new ConcurrentHashMap<>()));

    private MicrometerMetrics(MeterRegistry registry, Tags common) {
        this.registry = registry;
        this.common = common;
        this.bytesReceived = Counter.builder("weft.network.received").baseUnit("bytes").tags(common)
                .description("Bytes read from the network").register(registry);
        this.bytesSent = Counter.builder("weft.network.sent").baseUnit("bytes").tags(common)
                .description("Bytes written to the network").register(registry);
        Gauge.builder("weft.sockets.active", sockets, AtomicLong::get).tags(common)
                .description("TCP connections open now, in their handshake or after it").register(registry);
        this.acceptFailures = Counter.builder("weft.accept.failures").tags(common)
                .description("Failed attempts to accept a connection").register(registry);
        this.brokerMissed = Counter.builder("weft.cluster.missed").tags(common)
                .description("Messages other nodes published to this node's rooms that never arrived").register(registry);
        this.brokerDroppedOut = Counter.builder("weft.cluster.dropped").tags(common).tag("direction", "out")
                .description("Room messages for other nodes that were not published").register(registry);
        this.brokerDroppedIn = Counter.builder("weft.cluster.dropped").tags(common).tag("direction", "in")
                .description("Arrivals from the broker dropped: not envelopes, or the queue was full").register(registry);
    }

    /** A listener registering its meters in {@code registry}. */
    public static MicrometerMetrics of(MeterRegistry registry) {
        return of(registry, Tags.empty());
    }

    /** A listener registering its meters in {@code registry}, each with {@code tags} besides its own. */
    public static MicrometerMetrics of(MeterRegistry registry, Iterable<Tag> tags) {
        return new MicrometerMetrics(Objects.requireNonNull(registry, "registry"), Tags.of(tags));
    }

    @Override
    public void socketOpened() {
        sockets.incrementAndGet();
    }

    @Override
    public void socketClosed() {
        sockets.decrementAndGet();
    }

    @Override
    public void bytesRead(long bytes) {
        bytesReceived.increment(bytes);
    }

    @Override
    public void bytesWritten(long bytes) {
        bytesSent.increment(bytes);
    }

    @Override
    public void refused(Refusal cap) {
        lazily(refusedByCap, cap.ordinal(), () -> Counter.builder("weft.connections.refused").tags(common)
                .tag("cap", cap.name().toLowerCase(Locale.ROOT))
                .description("Connections refused at a server's caps").register(registry)).increment();
    }

    @Override
    public void acceptFailed() {
        acceptFailures.increment();
    }

    @Override
    public void brokerMissed(long messages) {
        brokerMissed.increment(messages);
    }

    @Override
    public void brokerPublishDropped() {
        brokerDroppedOut.increment();
    }

    @Override
    public void brokerArrivalDropped() {
        brokerDroppedIn.increment();
    }

    @Override
    public void handshakeRefused(int status) {
        int index = status >= 0 && status < HTTP_STATUSES ? status : 0;
        lazily(refusedByStatus, index, () -> Counter.builder("weft.handshakes.refused").tags(common)
                .tag("status", index == 0 ? "other" : Integer.toString(status))
                .description("Upgrade requests answered with an HTTP error").register(registry)).increment();
    }

    @Override
    public void memoryBudget(MemoryUse budget) {
        Gauge.builder("weft.budget.held", budget, MemoryUse::heldBytes).baseUnit("bytes").tags(common)
                .description("Bytes all connections hold now").register(registry);
        Gauge.builder("weft.budget.limit", budget, MemoryUse::limit).baseUnit("bytes").tags(common)
                .description("The memory budget").register(registry);
        Gauge.builder("weft.budget.paused.connections", budget, MemoryUse::pausedConnections).tags(common)
                .description("Connections the memory budget keeps from reading now").register(registry);
    }

    @Override
    public ConnectionMetrics opened(Role role, String endpoint) {
        Endpoint meters = endpoints.get(role).computeIfAbsent(endpoint == null ? NO_ENDPOINT : endpoint,
                tag -> new Endpoint(role, tag));
        meters.active.incrementAndGet();
        meters.opened.increment();
        return meters;
    }

    /** The tag of a close code: the code itself for a standard one, else its class. */
    static String codeTag(int code) {
        if (code >= FIRST_STANDARD && code <= LAST_STANDARD) {
            return CODE_TAGS[code - FIRST_STANDARD];
        }
        if (code >= 3000 && code <= 3999) {
            return "3xxx";
        }
        return code >= 4000 && code <= 4999 ? "4xxx" : "other";
    }

    private static String[] codeTags() {
        String[] tags = new String[LAST_STANDARD - FIRST_STANDARD + 1];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = Integer.toString(FIRST_STANDARD + i);
        }
        return tags;
    }

    /** The counter at {@code index}, registered on first use; registering twice returns the same meter. */
    private static Counter lazily(AtomicReferenceArray<Counter> counters, int index,
                                  Supplier<Counter> register) {
        Counter c = counters.get(index);
        if (c == null) {
            c = register.get();
            counters.set(index, c);
        }
        return c;
    }

    /** The meters of one endpoint, shared by its connections: counters need no state of their own. */
    private final class Endpoint implements ConnectionMetrics {

        /** Close counters by code tag and side: 16 standard codes, three classes, two sides. */
        private static final int CODE_SLOTS = LAST_STANDARD - FIRST_STANDARD + 1 + 3;

        private final Tags tags;
        private final AtomicLong active = new AtomicLong();
        private final Counter opened;
        private final Counter received;
        private final Counter sent;
        private final Counter slices;
        private final Counter queueFull;
        private final DistributionSummary queuePeak;
        private final Counter budgetPaused;
        private final Counter budgetClosed;
        private final AtomicReferenceArray<Counter> closed = new AtomicReferenceArray<>(2 * CODE_SLOTS);
        private final AtomicReferenceArray<Counter> failed = new AtomicReferenceArray<>(CODE_SLOTS);

        Endpoint(Role role, String endpoint) {
            this.tags = common.and("role", role.name().toLowerCase(Locale.ROOT), "endpoint", endpoint);
            Gauge.builder("weft.connections.active", active, AtomicLong::get).tags(tags)
                    .description("WebSocket connections open now").register(registry);
            this.opened = counter("weft.connections.opened", "WebSocket connections opened");
            this.received = counter("weft.messages.received", "Whole messages received");
            this.sent = counter("weft.messages.sent", "Whole messages sent");
            this.slices = counter("weft.decode.slices", "Decoded output handed back on a later turn");
            this.queueFull = counter("weft.write.queue.full", "Times a write queue passed its high watermark");
            this.queuePeak = DistributionSummary.builder("weft.write.queue.peak").baseUnit("bytes").tags(tags)
                    .description("The most each connection's write queue held").register(registry);
            this.budgetPaused = counter("weft.budget.paused", "Connections the memory budget stopped reading");
            this.budgetClosed = counter("weft.budget.closed", "Connections the memory budget closed with 1013");
        }

        private Counter counter(String name, String description) {
            return Counter.builder(name).tags(tags).description(description).register(registry);
        }

        @Override
        public void messageReceived() {
            received.increment();
        }

        @Override
        public void messageSent() {
            sent.increment();
        }

        @Override
        public void sliceDecoded() {
            slices.increment();
        }

        @Override
        public void failed(int code) {
            lazily(failed, slot(code), () -> Counter.builder("weft.connections.failed").tags(tags)
                    .tag("code", codeTag(code))
                    .description("Connections this end failed").register(registry)).increment();
        }

        @Override
        public void writeQueueFull(long queuedBytes) {
            queueFull.increment();
        }

        @Override
        public void writeQueuePeak(long bytes) {
            queuePeak.record(bytes);
        }

        @Override
        public void budgetPaused() {
            budgetPaused.increment();
        }

        @Override
        public void closedByBudget() {
            budgetClosed.increment();
        }

        @Override
        public void closed(int code, CloseSide side) {
            active.decrementAndGet();
            lazily(closed, side.ordinal() * CODE_SLOTS + slot(code), () -> Counter.builder("weft.connections.closed")
                    .tags(tags).tag("code", codeTag(code)).tag("side", side.name().toLowerCase(Locale.ROOT))
                    .description("WebSocket connections closed").register(registry)).increment();
        }

        /** Where the counters of {@code code}'s tag are kept. */
        private static int slot(int code) {
            if (code >= FIRST_STANDARD && code <= LAST_STANDARD) {
                return code - FIRST_STANDARD;
            }
            String tag = codeTag(code);
            int classes = LAST_STANDARD - FIRST_STANDARD + 1;
            return tag.equals("3xxx") ? classes : tag.equals("4xxx") ? classes + 1 : classes + 2;
        }
    }
}
