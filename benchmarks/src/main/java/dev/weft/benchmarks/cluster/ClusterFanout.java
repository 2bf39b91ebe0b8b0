package dev.weft.benchmarks.cluster;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.WebSocketHandler;
import dev.weft.cluster.BrokerFactory;
import dev.weft.cluster.RoomsStats;
import dev.weft.testing.RedisServer;
import dev.weft.transport.nio.WebSocketClient;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cross-node fan-out through a private Redis: one publisher, {@code --subscribers} members of one
 * room spread evenly over 1, 2 and 3 nodes (NIO servers of one event loop each, in this JVM, with
 * rooms on {@code weft-cluster-redis}), and the same load on one node with no broker. The publisher
 * sends {@code --rate} messages a second to node 0; each message carries its send time, so every
 * delivery gives a publish-to-deliver latency. Then, on two nodes, Redis is killed for
 * {@code --outage} seconds and started again on its port: what the outage cost in messages and
 * how long until messages published after the restart reach the other node.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.cluster.ClusterFanout \
 *     [--subscribers 300] [--rate 1000] [--size 64] [--warmup 3] [--duration 10] [--outage 3]</pre>
 *
 * Needs {@code redis-server} on the PATH (Debian's package). Prints one line per run.
 */
public final class ClusterFanout {

    private final int subscribers;
    private final int rate;
    private final int size;
    private final int warmup;
    private final int duration;
    private final int outage;
    private final WebSocketClient client;

    private ClusterFanout(String[] args) {
        int s = 300;
        int r = 1000;
        int z = 64;
        int w = 3;
        int d = 10;
        int o = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int v = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--subscribers" -> s = v;
                case "--rate" -> r = v;
                case "--size" -> z = Math.max(16, v);
                case "--warmup" -> w = v;
                case "--duration" -> d = v;
                case "--outage" -> o = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        subscribers = s;
        rate = r;
        size = z;
        warmup = w;
        duration = d;
        outage = o;
        WebSocketConfig config = WebSocketConfig.builder().extensions(List.of())
                .idleTimeout(Duration.ZERO).keepAliveInterval(Duration.ZERO).build();
        client = WebSocketClient.builder().threads(1).config(config).build();
    }

    public static void main(String[] args) throws Exception {
        ClusterFanout bench = new ClusterFanout(args);
        try (RedisServer redis = RedisServer.start(Files.createTempDirectory("weft-fanout"))) {
            System.out.printf(Locale.ROOT, "%d subscribers, %d msg/s of %d B published to node 0, %d s measured%n",
                    bench.subscribers, bench.rate, bench.size, bench.duration);
            bench.steady(0, redis);
            for (int nodes = 1; nodes <= 3; nodes++) {
                bench.steady(nodes, redis);
            }
            bench.restart(redis);
        } finally {
            bench.client.close();
        }
    }

    /** @param nodes 0 for one node with no broker */
    private void steady(int nodes, RedisServer redis) throws Exception {
        List<FanoutNode> cluster = nodes(nodes, redis);
        try {
            Subscribers subs = new Subscribers();
            List<Connection> members = join(cluster, subs);
            Publisher publisher = new Publisher(connect(cluster.get(0).port(), "/publish", new WebSocketHandler() { }));
            TimeUnit.SECONDS.sleep(warmup); // a benchmark's warm-up, not synchronisation
            subs.reset();
            long published = publisher.reset();
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(duration);
            long sent = publisher.reset() - published;
            double seconds = (System.nanoTime() - start) / 1e9;
            long delivered = subs.delivered();
            Histogram h = subs.latencies();
            publisher.close();
            System.out.printf(Locale.ROOT,
                    "%-18s delivered %,10.0f msg/s (%.3f of %,d expected)  p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms%s%n",
                    nodes == 0 ? "1 node, no broker" : nodes + (nodes == 1 ? " node, Redis" : " nodes, Redis"),
                    delivered / seconds, delivered / (double) (sent * subscribers), sent * subscribers,
                    h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
                    stats(cluster));
            members.forEach(Connection::abort);
        } finally {
            cluster.forEach(FanoutNode::close);
        }
    }

    /** Two nodes; Redis killed and started again while the publisher keeps sending. */
    private void restart(RedisServer redis) throws Exception {
        List<FanoutNode> cluster = nodes(2, redis);
        try {
            Subscribers subs = new Subscribers();
            List<Connection> members = join(cluster, subs);
            Publisher publisher = new Publisher(connect(cluster.get(0).port(), "/publish", new WebSocketHandler() { }));
            TimeUnit.SECONDS.sleep(warmup);
            subs.reset();
            long before = publisher.reset();
            redis.kill();
            TimeUnit.SECONDS.sleep(outage);
            redis.restart();
            long restarted = System.nanoTime();
            subs.watchFrom(restarted);
            TimeUnit.SECONDS.sleep(duration);
            long sent = publisher.reset() - before;
            publisher.close();
            long remoteMembers = subscribers / 2;
            long lost = sent * remoteMembers - subs.remoteDelivered();
            long arrival = subs.firstRemoteArrival();
            System.out.printf(Locale.ROOT,
                    "Redis down %d s, 2 nodes: %,d of %,d messages lost per remote member (%.1f s of traffic); "
                            + "first message after the restart reached node 1 %s%s%n",
                    outage, lost / Math.max(1, remoteMembers), sent, lost / (double) Math.max(1, remoteMembers) / rate,
                    arrival == Long.MAX_VALUE ? "never (within the run)"
                            : String.format(Locale.ROOT, "%.2f s after it", (arrival - restarted) / 1e9),
                    stats(cluster));
            members.forEach(Connection::abort);
        } finally {
            cluster.forEach(FanoutNode::close);
        }
    }

    private List<FanoutNode> nodes(int nodes, RedisServer redis) throws Exception {
        List<FanoutNode> cluster = new ArrayList<>();
        for (int i = 0; i < Math.max(1, nodes); i++) {
            cluster.add(new FanoutNode("n" + i, nodes == 0 ? null : BrokerFactory.forUri(redis.uri())));
        }
        return cluster;
    }

    /** Connects the members, node by node in turn, and waits until every node is subscribed. */
    private List<Connection> join(List<FanoutNode> cluster, Subscribers subs) throws Exception {
        List<CompletableFuture<Connection>> opening = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            int node = i % cluster.size();
            opening.add(client.connect(URI.create("ws://127.0.0.1:" + cluster.get(node).port() + "/room"),
                    subs.member(node != 0)));
        }
        List<Connection> members = new ArrayList<>();
        for (CompletableFuture<Connection> c : opening) {
            members.add(c.get(30, TimeUnit.SECONDS));
        }
        while (cluster.stream().mapToInt(n -> n.rooms().members(FanoutNode.ROOM).size()).sum() < subscribers) {
            TimeUnit.MILLISECONDS.sleep(10); // onOpen runs just after the client sees the 101
        }
        for (FanoutNode n : cluster) {
            n.rooms().settled().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return members;
    }

    private Connection connect(int port, String path, WebSocketHandler handler) throws Exception {
        return client.connect(URI.create("ws://127.0.0.1:" + port + path), handler).get(30, TimeUnit.SECONDS);
    }

    private static String stats(List<FanoutNode> cluster) {
        long dropped = 0;
        long missed = 0;
        for (FanoutNode n : cluster) {
            RoomsStats s = n.rooms().stats();
            dropped += s.dropped();
            missed += s.missed();
        }
        return dropped + missed == 0 ? "" : "  [not published " + dropped + ", gaps seen " + missed + "]";
    }

    /** Sends {@code rate} messages a second, a millisecond's worth at a time, from a timer thread. */
    private final class Publisher implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong sent = new AtomicLong();
        private final Connection connection;
        private double owed;

        Publisher(Connection connection) {
            this.connection = connection;
            timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            owed += rate / 1000.0;
            for (; owed >= 1; owed--) {
                ByteBuffer m = ByteBuffer.allocate(size);
                m.putLong(0, System.nanoTime()).putLong(8, sent.incrementAndGet());
                connection.sendBinary(m);
            }
        }

        /** Messages sent so far. */
        long reset() {
            return sent.get();
        }

        @Override
        public void close() {
            timer.shutdownNow();
            connection.abort();
        }
    }
}
