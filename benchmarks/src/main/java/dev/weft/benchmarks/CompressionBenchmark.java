package dev.weft.benchmarks;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.benchmarks.support.JsonCorpus;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import dev.weft.ext.zstd.PerMessageZstd;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * permessage-deflate and permessage-zstd compressing a corpus of small JSON-like messages, with and
 * without context takeover, through the public extension SPI only: a server-side extension from
 * the factory's {@code accept} encodes, a client-side one from {@code accepted} decodes, as on a
 * connection. One operation is one message; each invocation runs the whole corpus in order
 * through fresh extensions, because with context takeover a message can only be inflated after
 * the ones before it.
 *
 * <p>The auxiliary counters give the figures to compare: {@code originalBytes} per second is the
 * speed in bytes of messages, and {@code compressedBytes / originalBytes} is the compressed size
 * as a fraction of the original (both are reported as rates over the same time).
 *
 * <p>Two parameters, for permessage-deflate only, are left at one value so a default run is as
 * before; set them with {@code -p}: {@code serverWindowBits} below 15 offers
 * {@code server_max_window_bits} (compressed on native zlib, JDK 22+), and {@code poolSize} sets
 * the factory's pool of contexts for directions without context takeover (-1 its default; 0 makes
 * and ends a context for every message). {@link CompressionMemory} gives the memory side.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CompressionBenchmark {

    private static final int LIMIT = 16 * 1024 * 1024;
    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, LIMIT, LIMIT);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, LIMIT, LIMIT);

    @Param({"permessage-deflate", "permessage-zstd"})
    public String extension;

    @Param({"true", "false"})
    public boolean contextTakeover;

    @Param({"15"})
    public int serverWindowBits;

    @Param({"-1"})
    public int poolSize;

    private List<ByteBuffer> corpus;
    private List<Frame> compressed;
    private ExtensionFactory serverFactory;
    private ExtensionFactory clientFactory;
    private ExtensionParameters response;

    /** Bytes in and out, reported by JMH as rates over the measured time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Bytes {
        public long originalBytes;
        public long compressedBytes;

        @Setup(Level.Iteration)
        public void reset() {
            originalBytes = 0;
            compressedBytes = 0;
        }
    }

    @Setup
    public void setUp() {
        corpus = JsonCorpus.messages();
        boolean reset = !contextTakeover;
        // Compression level and threshold are each extension's defaults (deflate 6, zstd 3).
        if (extension.equals(PerMessageDeflate.NAME)) {
            PerMessageDeflate.Builder deflate = PerMessageDeflate.builder().serverNoContextTakeover(reset);
            if (poolSize >= 0) {
                deflate.poolSize(poolSize);
            }
            serverFactory = deflate.build();
            clientFactory = deflate.build();
        } else {
            serverFactory = PerMessageZstd.builder().serverNoContextTakeover(reset).build();
            clientFactory = PerMessageZstd.builder().serverNoContextTakeover(reset).build();
        }
        try (Extension server = accept(offer())) {
            response = server.parameters();
            compressed = new ArrayList<>(corpus.size());
            for (ByteBuffer message : corpus) {
                Frame frame = server.encoder().encode(new Frame(true, 0, Opcode.TEXT, message.duplicate()));
                compressed.add(new Frame(frame.fin(), frame.rsv(), frame.opcode(), copy(frame.payload())));
            }
        }
        // The round trip must give the corpus back, or the figures mean nothing.
        try (Extension client = clientFactory.accepted(response, CLIENT)) {
            for (int i = 0; i < corpus.size(); i++) {
                if (!client.decoder().decode(compressed.get(i)).payload().equals(corpus.get(i))) {
                    throw new IllegalStateException(extension + " did not give message " + i + " back");
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(JsonCorpus.COUNT)
    public void compress(Bytes bytes, Blackhole blackhole) {
        try (Extension server = accept(offer())) {
            for (ByteBuffer message : corpus) {
                Frame frame = server.encoder().encode(new Frame(true, 0, Opcode.TEXT, message.duplicate()));
                bytes.originalBytes += message.remaining();
                bytes.compressedBytes += frame.payloadLength();
                blackhole.consume(frame);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(JsonCorpus.COUNT)
    public void decompress(Bytes bytes, Blackhole blackhole) {
        try (Extension client = clientFactory.accepted(response, CLIENT)) {
            for (Frame frame : compressed) {
                Frame plain = client.decoder().decode(new Frame(frame.fin(), frame.rsv(), frame.opcode(), frame.payload().duplicate()));
                bytes.originalBytes += plain.payloadLength();
                bytes.compressedBytes += frame.payloadLength();
                blackhole.consume(plain);
            }
        }
    }

    private ExtensionParameters offer() {
        ExtensionParameters offer = clientFactory.offers(CLIENT).get(0);
        return serverWindowBits < 15 ? offer.with("server_max_window_bits", Integer.toString(serverWindowBits)) : offer;
    }

    private Extension accept(ExtensionParameters offer) {
        Optional<Extension> agreed = serverFactory.accept(offer, SERVER);
        return agreed.orElseThrow(() -> new IllegalStateException(extension + " declined its own offer " + offer));
    }

    private static ByteBuffer copy(ByteBuffer payload) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload.duplicate()).flip();
        return copy.asReadOnlyBuffer();
    }
}
