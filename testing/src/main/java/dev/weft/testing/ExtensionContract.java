package dev.weft.testing;

import dev.weft.api.extension.ExtensionFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The contract every Weft extension keeps, as checks an extension author runs against their
 * {@link ExtensionFactory}. The checks drive a real client and a real server in memory (see
 * {@link InMemoryPair}), so they test the extension as the engine uses it:
 *
 * <ul>
 * <li><b>negotiation</b>: the factory's own offers name it, and a client and a server both running
 *     it agree on it; the offers and answers listed with {@link Builder#accepts},
 *     {@link Builder#declines}, {@link Builder#acceptsAnswer} and {@link Builder#refusesAnswer}
 *     (parameters out of range, unknown or repeated, say) are taken or refused as listed;</li>
 * <li><b>round trips</b>: text and binary messages of many sizes, whole and in fragments, from
 *     client to server and from server to client, each sent twice so the second meets whatever
 *     state the first left, for every {@linkplain Builder#variant variant} (with and without context
 *     takeover, say);</li>
 * <li><b>slicing</b>: a message of several MiB encoded by one end's extension and decoded by the
 *     other's, each way, comes back as {@link dev.weft.api.extension.ExtensionDecoder} says a decoder
 *     may hand back its output: the first slice from {@code decode}, the rest from
 *     {@code decodePending} while {@code hasPendingOutput}, later slices continuations, only the last
 *     carrying the frame's fin, none over 64 KiB if the output is sliced (or at all, with
 *     {@link Builder#slicesOutput}), and a message in two frames after it still decodes, so the
 *     context (kept or reset as agreed) is right once the last slice is out;</li>
 * <li><b>reserved bits</b>: the extension claims only RSV bits, and a frame carrying a bit it did not
 *     claim is refused with close code 1002, either way;</li>
 * <li><b>limits</b>: a message that decodes past the receiver's {@code maxMessageSize} is refused with
 *     1009 while the receiver is held to a memory budget far below the decoded size, so an
 *     extension that expands a bomb before checking (and reports what it holds, as
 *     {@code heldBytes()} asks) fails;</li>
 * <li><b>resources</b>: after a close handshake, an abort or a protocol error, every extension
 *     instance the factory made holds nothing ({@code heldBytes()} is 0), the connections' memory
 *     budgets are back to 0, and {@linkplain Builder#liveResources live native resources} are back
 *     where they were.</li>
 * </ul>
 *
 * <p>Each check is a {@link Check}: a name and a body that throws {@link AssertionError} (or any
 * exception) when the extension breaks the contract. No test framework is needed; with JUnit 5, one
 * dynamic test per check:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> keepsTheExtensionContract() {
 *     return ExtensionContract.of(new MyExtensionFactory())
 *             .declines("x-my-ext; level=99")
 *             .checks().stream()
 *             .map(check -> DynamicTest.dynamicTest(check.name(), check::run));
 * }
 * }</pre>
 *
 * or all at once with {@link #verify()}.
 */
public final class ExtensionContract {

    /** The sizes of the round-trip messages unless {@link Builder#sizes} says otherwise. */
    static final int[] DEFAULT_SIZES = {0, 1, 125, 126, 127, 65_535, 65_536, 300_000};

    private final Builder b;

    private ExtensionContract(Builder b) {
        this.b = b;
    }

    /**
     * The contract for {@code factory}, to be refined with the builder's tables and variants before
     * calling {@link Builder#checks()}. The factory is used on both ends as it is given.
     */
    public static Builder of(ExtensionFactory factory) {
        return new Builder(factory);
    }

    /**
     * Every check, in order: negotiation, then for each variant round trips, reserved bits, limits,
     * resources and slicing.
     */
    public List<Check> checks() {
        List<Check> checks = new ArrayList<>(new Negotiation(b.factory).checks(b.accepted, b.declined,
                b.acceptedAnswers, b.refusedAnswers));
        for (Map.Entry<String, ExtensionFactory[]> v : b.variants.entrySet()) {
            Traffic traffic = new Traffic(v.getKey(), v.getValue()[0], v.getValue()[1], b.liveResources);
            checks.addAll(traffic.checks(b.sizes));
            checks.addAll(new Slicing(v.getKey(), v.getValue()[0], v.getValue()[1], b.slicesOutput).checks());
        }
        return List.copyOf(checks);
    }

    /**
     * Runs every check.
     *
     * @throws AssertionError naming each check that failed and why, with the failures suppressed in it
     */
    public void verify() {
        Check.runAll(b.factory.name() + " breaks the extension contract", checks());
    }

    /**
     * What the contract is checked with. Offers and answers are written as one element of a
     * {@code Sec-WebSocket-Extensions} header, such as {@code "permessage-deflate; server_max_window_bits=10"}.
     * Not thread-safe.
     */
    public static final class Builder {
        private final ExtensionFactory factory;
        private final Map<String, String> accepted = new LinkedHashMap<>();
        private final List<String> declined = new ArrayList<>();
        private final List<String> acceptedAnswers = new ArrayList<>();
        private final List<String> refusedAnswers = new ArrayList<>();
        private final Map<String, ExtensionFactory[]> variants = new LinkedHashMap<>();
        private int[] sizes = DEFAULT_SIZES;
        private IntSupplier liveResources = () -> 0;
        private boolean slicesOutput;

        private Builder(ExtensionFactory factory) {
            this.factory = Objects.requireNonNull(factory);
            variants.put("as given", new ExtensionFactory[] {factory, factory});
        }

        /** A server running the factory accepts this offer from a client (the answer is not checked). */
        public Builder accepts(String offer) {
            accepted.put(offer, null);
            return this;
        }

        /** A server running the factory accepts this offer and answers exactly {@code answer}. */
        public Builder accepts(String offer, String answer) {
            accepted.put(offer, Objects.requireNonNull(answer));
            return this;
        }

        /**
         * A server running the factory declines these offers (parameters out of range, unknown,
         * repeated or malformed, say), so that the client's next offer can be tried.
         */
        public Builder declines(String... offers) {
            declined.addAll(List.of(offers));
            return this;
        }

        /** A client running the factory takes these answers from a server. */
        public Builder acceptsAnswer(String... answers) {
            acceptedAnswers.addAll(List.of(answers));
            return this;
        }

        /**
         * A client running the factory refuses these answers from a server by throwing
         * {@link dev.weft.api.WebSocketException} (RFC 6455 §9.1: it must fail the connection).
         */
        public Builder refusesAnswer(String... answers) {
            refusedAnswers.addAll(List.of(answers));
            return this;
        }

        /**
         * Also runs the round-trip, reserved-bit, limit, resource and slicing checks with these
         * factories on the client and on the server: other settings of the same extension, such as
         * context takeover turned off, or a different window each way. The factory given to
         * {@link ExtensionContract#of} is always run on both ends, as the variant "as given".
         */
        public Builder variant(String name, ExtensionFactory client, ExtensionFactory server) {
            variants.put(Objects.requireNonNull(name), new ExtensionFactory[] {
                    Objects.requireNonNull(client), Objects.requireNonNull(server)});
            return this;
        }

        /** The sizes of the round-trip messages, in bytes (default 0, 1, 125, 126, 127, 65535, 65536, 300000). */
        public Builder sizes(int... sizes) {
            this.sizes = sizes.clone();
            return this;
        }

        /**
         * A count of the native resources the extension holds (compression contexts, say), which
         * must come back to where it was after each connection ends. By default, nothing is counted.
         */
        public Builder liveResources(IntSupplier count) {
            this.liveResources = Objects.requireNonNull(count);
            return this;
        }

        /**
         * The extension's decoders hand back any output over 64 KiB in slices of at most 64 KiB, as
         * Weft's own do: the slicing checks then fail a large output returned whole. By default a
         * decoder may return its output whole, as the extension SPI allows.
         */
        public Builder slicesOutput() {
            slicesOutput = true;
            return this;
        }

        /** The contract with these tables and variants. */
        public ExtensionContract build() {
            return new ExtensionContract(this);
        }

        /** Shorthand for {@code build().checks()}. */
        public List<Check> checks() {
            return build().checks();
        }

        /** Shorthand for {@code build().verify()}. */
        public void verify() {
            build().verify();
        }
    }
}
