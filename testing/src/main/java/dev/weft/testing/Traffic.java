package dev.weft.testing;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.session.MemoryBudget;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * The parts of the {@link ExtensionContract} checked over a connection, for one variant: round trips,
 * reserved bits, limits and resources. Each check connects a new in-memory pair whose ends run the
 * variant's factories, wrapped so that the extensions they agree can be looked at afterwards.
 */
final class Traffic {

    /** The receiver's message limit in the limit checks. */
    private static final int LIMIT = 64 * 1024;
    /** What the bomb decodes to: zeros, which a compressing extension makes as small as it can. */
    private static final int BOMB = 8 * 1024 * 1024;
    /** The receiver's memory budget in the limit checks: far below what the bomb decodes to. */
    private static final int BUDGET = 2 * 1024 * 1024;

    private final String name;
    private final String variant;
    private final ExtensionFactory client;
    private final ExtensionFactory server;
    private final IntSupplier liveResources;

    Traffic(String variant, ExtensionFactory client, ExtensionFactory server, IntSupplier liveResources) {
        this.name = client.name();
        this.variant = variant;
        this.client = client;
        this.server = server;
        this.liveResources = liveResources;
    }

    List<Check> checks(int[] sizes) {
        List<Check> checks = new ArrayList<>();
        for (int size : sizes) {
            checks.add(check("round trip of " + size + " bytes: text and binary, whole and fragmented, both ways",
                    () -> roundTrip(size)));
        }
        checks.add(check("reserved bits: only RSV bits are claimed, the same at both ends", this::claims));
        for (int bit : new int[] {Frame.RSV1, Frame.RSV2, Frame.RSV3}) {
            checks.add(check("reserved bits: a frame with " + rsvName(bit) + ", if not claimed, is refused with 1002",
                    () -> unclaimedBitRefused(bit)));
        }
        for (boolean fromClient : new boolean[] {true, false}) {
            checks.add(check("limits: a message decoding past maxMessageSize is refused with 1009 and bounded memory, "
                    + (fromClient ? "client to server" : "server to client"), () -> bomb(fromClient)));
        }
        for (Ending ending : Ending.values()) {
            checks.add(check("resources: released after " + ending.description, () -> released(ending)));
        }
        return checks;
    }

    private Check check(String what, Runnable body) {
        return new Check(what + " [" + variant + "]", body);
    }

    /** Two in-memory ends running the variant's factories, each wrapped to keep what it agrees. */
    private final class Link {
        final TrackingFactory clientFactory = new TrackingFactory(client);
        final TrackingFactory serverFactory = new TrackingFactory(server);
        final Recorder clientEvents = Recorder.recording();
        final Recorder serverEvents = Recorder.recording();
        final MemoryLimit clientBudget;
        final MemoryLimit serverBudget;
        final InMemoryPair pair;

        Link(int serverMaxMessage, int clientMaxMessage, long serverBudgetLimit, long clientBudgetLimit) {
            serverBudget = new MemoryLimit(serverBudgetLimit);
            clientBudget = new MemoryLimit(clientBudgetLimit);
            pair = InMemoryPair.builder()
                    .clientConfig(config(clientFactory, clientMaxMessage))
                    .serverConfig(config(serverFactory, serverMaxMessage))
                    .clientMemoryBudget(clientBudget)
                    .serverMemoryBudget(serverBudget)
                    .connect(serverEvents, clientEvents);
            requireAgreed(pair.client(), "client");
            requireAgreed(pair.server(), "server");
        }

        Link() {
            this(Integer.MAX_VALUE, Integer.MAX_VALUE, MemoryBudget.UNLIMITED, MemoryBudget.UNLIMITED);
        }

        /** The bits the agreed extension claims at the client. */
        int claimed() {
            return clientFactory.made().get(0).rsv();
        }

        String events() {
            return "client saw " + clientEvents.events() + ", server saw " + serverEvents.events();
        }

        private void requireAgreed(Connection c, String end) {
            if (c.extensions().stream().map(ExtensionParameters::name).noneMatch(name::equals)) {
                throw new AssertionError("the " + end + " did not agree on " + name + ": " + c.extensions());
            }
        }
    }

    private static WebSocketConfig config(ExtensionFactory factory, int maxMessageSize) {
        WebSocketConfig.Builder b = WebSocketConfig.builder().extensions(List.of(factory));
        return maxMessageSize == Integer.MAX_VALUE ? b.build() : b.maxMessageSize(maxMessageSize).build();
    }

    private void roundTrip(int size) {
        Link link = new Link();
        Random random = new Random(size);
        String text = text(random, size);
        byte[] binary = new byte[size];
        random.nextBytes(binary);

        List<Object> expected = sendAll(link.pair.client(), text, binary, random);
        link.pair.flush();
        same(expected, link.serverEvents.takeMessages(), "client to server");
        sendAll(link.pair.server(), text, binary, random);
        link.pair.flush();
        same(expected, link.clientEvents.takeMessages(), "server to client");

        link.pair.client().close();
        link.pair.flush();
        if (!link.clientEvents.closeCodes().equals(List.of(1000)) || !link.serverEvents.closeCodes().equals(List.of(1000))) {
            throw new AssertionError("the connection did not close normally: " + link.events());
        }
    }

    /**
     * Sends the messages of a round trip: each twice whole, then in three parts split evenly and
     * unevenly (a small first part, which an extension with a size threshold may leave as it is;
     * the last part may be empty), then binary in parts of random sizes. Returns what the peer must get.
     */
    private static List<Object> sendAll(Connection c, String text, byte[] binary, Random random) {
        int size = binary.length;
        for (int i = 0; i < 2; i++) {
            c.sendText(text);
            c.sendBinary(ByteBuffer.wrap(binary));
        }
        for (int a : new int[] {size / 3, size / 100}) {
            int b = 2 * size / 3;
            c.sendText(text.substring(0, a), false);
            c.sendText(text.substring(a, b), false);
            c.sendText(text.substring(b), true);
            c.sendBinary(ByteBuffer.wrap(binary, 0, a), false);
            c.sendBinary(ByteBuffer.wrap(binary, a, b - a), false);
            c.sendBinary(ByteBuffer.wrap(binary, b, size - b), true);
        }
        int at = 0;
        do {
            int next = Math.min(size, at + 1 + random.nextInt(Math.max(1, size / 4)));
            c.sendBinary(ByteBuffer.wrap(binary, at, next - at), next == size);
            at = next;
        } while (at < size);
        return List.of(text, binary, text, binary, text, binary, text, binary, binary);
    }

    private static void same(List<Object> expected, List<Object> actual, String way) {
        boolean same = expected.size() == actual.size();
        for (int i = 0; same && i < expected.size(); i++) {
            same = expected.get(i) instanceof byte[] e ? actual.get(i) instanceof byte[] a && Arrays.equals(e, a)
                    : Objects.equals(expected.get(i), actual.get(i));
        }
        if (!same) {
            throw new AssertionError(way + ": " + expected.size() + " messages sent, and what arrived differs: "
                    + actual.size() + " messages");
        }
    }

    private void claims() {
        Link link = new Link();
        for (TrackingFactory f : List.of(link.clientFactory, link.serverFactory)) {
            for (Extension agreed : f.made()) {
                Negotiation.claimsOnlyReservedBits(agreed);
            }
        }
        int server = link.serverFactory.made().get(0).rsv();
        if (server != link.claimed()) {
            throw new AssertionError("the client claims 0x" + Integer.toHexString(link.claimed())
                    + " and the server 0x" + Integer.toHexString(server));
        }
        link.pair.client().close();
        link.pair.flush();
    }

    private void unclaimedBitRefused(int bit) {
        for (boolean fromClient : new boolean[] {true, false}) {
            Link link = new Link();
            if ((link.claimed() & bit) != 0) {
                link.pair.client().abort();
                return;
            }
            // Extensions hand control frames on as they are, so the bit reaches the wire.
            Connection sender = fromClient ? link.pair.client() : link.pair.server();
            sender.sendFrame(new Frame(true, bit, Opcode.PING, ByteBuffer.allocate(0)));
            link.pair.flush();
            Recorder receiver = fromClient ? link.serverEvents : link.clientEvents;
            Recorder senderEvents = fromClient ? link.clientEvents : link.serverEvents;
            if (!senderEvents.closeCodes().equals(List.of(CloseCodes.PROTOCOL_ERROR))
                    || receiver.events().stream().anyMatch(e -> e.startsWith("ping"))) {
                throw new AssertionError("a ping with " + rsvName(bit) + " from the " + (fromClient ? "client" : "server")
                        + " was not refused with 1002: " + link.events());
            }
        }
    }

    private void bomb(boolean fromClient) {
        Link link = fromClient ? new Link(LIMIT, Integer.MAX_VALUE, BUDGET, MemoryBudget.UNLIMITED)
                : new Link(Integer.MAX_VALUE, LIMIT, MemoryBudget.UNLIMITED, BUDGET);
        Connection sender = fromClient ? link.pair.client() : link.pair.server();
        Recorder senderEvents = fromClient ? link.clientEvents : link.serverEvents;
        Recorder receiverEvents = fromClient ? link.serverEvents : link.clientEvents;
        sender.sendBinary(ByteBuffer.allocate(BOMB));
        link.pair.flush();
        if (!senderEvents.closeCodes().equals(List.of(CloseCodes.MESSAGE_TOO_BIG))
                || !receiverEvents.takeMessages().isEmpty()) {
            throw new AssertionError("a message of " + BOMB + " zero bytes sent to a limit of " + LIMIT
                    + " bytes and a memory budget of " + BUDGET + " bytes was not refused with 1009: " + link.events());
        }
        MemoryLimit budget = fromClient ? link.serverBudget : link.clientBudget;
        if (budget.heldBytes() != 0) {
            throw new AssertionError(budget.heldBytes() + " bytes still charged to the receiver after the close");
        }
    }

    /** How a connection ends in the resource checks. */
    private enum Ending {
        CLOSE("a close handshake"),
        ABORT("an abort"),
        PROTOCOL_ERROR("a protocol error");

        final String description;

        Ending(String description) {
            this.description = description;
        }
    }

    private void released(Ending ending) {
        int before = liveResources.getAsInt();
        Link link = new Link();
        String message = "x".repeat(10_000);
        link.pair.client().sendText(message);
        link.pair.server().sendBinary(ByteBuffer.wrap(new byte[10_000]));
        link.pair.flush();
        switch (ending) {
            case CLOSE -> link.pair.client().close();
            case ABORT -> link.pair.client().abort();
            case PROTOCOL_ERROR -> {
                int unclaimed = Frame.RSV_MASK & ~link.claimed();
                if (unclaimed == 0) {
                    link.pair.client().abort();
                    link.pair.flush();
                    return;
                }
                link.pair.client().sendFrame(new Frame(true, Integer.lowestOneBit(unclaimed), Opcode.PING,
                        ByteBuffer.allocate(0)));
            }
        }
        link.pair.flush();
        for (TrackingFactory f : List.of(link.clientFactory, link.serverFactory)) {
            for (Extension agreed : f.made()) {
                if (agreed.heldBytes() != 0) {
                    throw new AssertionError(agreed.parameters() + " still holds " + agreed.heldBytes() + " bytes");
                }
            }
        }
        if (link.clientBudget.heldBytes() != 0 || link.serverBudget.heldBytes() != 0) {
            throw new AssertionError("memory still charged: client " + link.clientBudget.heldBytes() + " bytes, server "
                    + link.serverBudget.heldBytes() + " bytes");
        }
        if (link.clientEvents.closeCodes().size() != 1 || link.serverEvents.closeCodes().size() != 1) {
            throw new AssertionError("each end must report one close: " + link.events());
        }
        int after = liveResources.getAsInt();
        if (after != before) {
            throw new AssertionError("live resources went from " + before + " to " + after);
        }
    }

    /** Text from a small vocabulary, so a compressor finds repeats; two- and three-byte characters included. */
    static String text(Random random, int size) {
        String[] words = {"weft ", "warp ", "loom ", "shuttle ", "héddle ", "€ ", "{\"id\":", "}, "};
        StringBuilder sb = new StringBuilder(size);
        while (sb.length() < size) {
            sb.append(words[random.nextInt(words.length)]);
        }
        sb.setLength(size);
        return sb.toString();
    }

    private static String rsvName(int bit) {
        return bit == Frame.RSV1 ? "RSV1" : bit == Frame.RSV2 ? "RSV2" : "RSV3";
    }
}
