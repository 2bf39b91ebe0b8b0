package dev.weft.benchmarks;

import dev.weft.benchmarks.support.Utf8Corpus;
import dev.weft.benchmarks.support.Utf8Decoders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Checking a 64 KiB text message for valid UTF-8 (RFC 6455 §8.1) and turning it into a String:
 * Weft's streaming {@code Utf8Validator} (alone, and followed by the decode Weft then does) against
 * the JDK's strict {@code CharsetDecoder}, Jetty's {@code Utf8StringBuilder}, and
 * {@code new String(bytes, UTF_8)}, which does not validate and so is only the ceiling. Time per
 * message; bytes per nanosecond is {@code 65536 / score}.
 *
 * <p>{@code whole_*} get the message in one piece; {@code fragments_*} get it in 1 KiB fragments,
 * split wherever that falls (inside code points too), each validator carrying its state across.
 *
 * <p>Weft's methods validate as the JVM allows: a vector at a time first on JDK 22 and later when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (the forks inherit the options of
 * the {@code java} that runs the benchmarks); those ending in {@code Scalar} always run the scalar
 * loop ({@code -Dweft.simd=false}), so on JDK 17 they measure the same loop as their twins.
 * Results are returned, so JMH's blackhole consumes them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Utf8Benchmark {

    private static final int FRAGMENT = 1024;

    @Param({"ASCII", "LATIN_GREEK", "CJK", "EMOJI", "MIXED"})
    public Utf8Corpus corpus;

    private ByteBuffer heap;
    private ByteBuffer direct;
    private Utf8Decoders decoders;

    @Setup
    public void setUp() {
        byte[] bytes = corpus.bytes();
        heap = ByteBuffer.wrap(bytes);
        direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).clear();
        decoders = new Utf8Decoders(bytes.length);
    }

    // ---------------------------------------------------------------- a whole message

    /** Weft's validator alone, over a heap buffer. */
    @Benchmark
    public boolean whole_weftValidate() {
        return decoders.weftValidate(heap);
    }

    /** Weft's validator alone, over direct memory, where a transport reads to. */
    @Benchmark
    public boolean whole_weftValidateDirect() {
        return decoders.weftValidate(direct);
    }

    /** Weft's scalar validator, over a heap buffer. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dweft.simd=false"})
    public boolean whole_weftValidateScalar() {
        return decoders.weftValidate(heap);
    }

    /** Weft's scalar validator, over direct memory. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dweft.simd=false"})
    public boolean whole_weftValidateDirectScalar() {
        return decoders.weftValidate(direct);
    }

    /** Weft's validator, then the decode to a String that a Weft text message gets. */
    @Benchmark
    public String whole_weftText() {
        return decoders.weftText(heap);
    }

    @Benchmark
    public String whole_jdkDecoder() {
        return decoders.jdkDecode(heap);
    }

    @Benchmark
    public String whole_jetty() {
        return decoders.jetty(heap);
    }

    /** The ceiling: decodes without validating (bad bytes become U+FFFD). */
    @Benchmark
    public String whole_newStringCeiling() {
        return Utf8Decoders.newString(heap);
    }

    // ---------------------------------------------------------------- 1 KiB fragments

    @Benchmark
    public boolean fragments_weftValidate() {
        return decoders.weftValidateFragments(heap, FRAGMENT);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dweft.simd=false"})
    public boolean fragments_weftValidateScalar() {
        return decoders.weftValidateFragments(heap, FRAGMENT);
    }

    /** Validated as each fragment arrives, gathered, decoded once at the end. */
    @Benchmark
    public String fragments_weftText() {
        return decoders.weftTextFragments(heap, FRAGMENT);
    }

    @Benchmark
    public String fragments_jdkDecoder() {
        return decoders.jdkDecodeFragments(heap, FRAGMENT);
    }

    @Benchmark
    public String fragments_jetty() {
        return decoders.jettyFragments(heap, FRAGMENT);
    }
}
