package dev.weft.benchmarks;

import dev.weft.benchmarks.support.ReferenceMasking;
import dev.weft.core.frame.Masking;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Unmasking a payload in place (RFC 6455 §5.3), as a server does with every client frame: Weft's
 * {@link Masking} against a byte-at-a-time loop and an int-at-a-time loop, with a copy of the same
 * size as the ceiling set by memory bandwidth. Time per payload; bytes per nanosecond is
 * {@code size / score}.
 *
 * <p>{@code weft} masks as the JVM allows: a vector at a time on JDK 22 and later when the JVM runs
 * with {@code --add-modules jdk.incubator.vector} (the forks inherit the options of the {@code java}
 * that runs the benchmarks), eight bytes at a time otherwise; {@code weftScalar} always eight bytes
 * at a time ({@code -Dweft.simd=false}), so on JDK 17 the two measure the same loop.
 *
 * <p>{@code offset} 0 starts the payload on an 8-byte boundary of the buffer's memory, 3 off it,
 * as a payload behind a 2-, 4- or 10-byte header usually is. Buffers are in the default
 * (big-endian) order, as a transport's read buffer is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MaskingBenchmark {

    /** Where the buffers live: on the Java heap or outside it, as a transport's read buffer does. */
    public enum Memory { HEAP, DIRECT }

    private static final int KEY = 0x37FA213D;

    @Param({"16", "128", "1024", "65536", "1048576"})
    public int size;

    @Param({"0", "3"})
    public int offset;

    @Param({"HEAP", "DIRECT"})
    public Memory memory;

    private ByteBuffer payload;
    private ByteBuffer copy;
    private byte[] payloadArray;
    private byte[] copyArray;

    @Setup
    public void setUp() {
        byte[] bytes = new byte[offset + size];
        new SplittableRandom(size).nextBytes(bytes);
        payload = allocate(bytes.length).put(bytes).clear();
        copy = allocate(bytes.length);
        payloadArray = payload.hasArray() ? payload.array() : null;
        copyArray = copy.hasArray() ? copy.array() : null;
    }

    private ByteBuffer allocate(int capacity) {
        return memory == Memory.HEAP ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
    }

    /** Weft as this JVM runs it: whole vectors, if enabled, then longs, then a byte tail. */
    @Benchmark
    public int weft() {
        return Masking.mask(payload, offset, payload, offset, size, KEY, 0);
    }

    /** Weft's scalar loop: eight bytes at a time as longs, in either byte order, then a byte tail. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dweft.simd=false"})
    public int weftScalar() {
        return Masking.mask(payload, offset, payload, offset, size, KEY, 0);
    }

    /** A byte at a time, the key byte picked by index. */
    @Benchmark
    public ByteBuffer byteLoop() {
        ReferenceMasking.byteLoop(payload, offset, size, KEY);
        return payload;
    }

    /** Four bytes at a time as ints, then a byte tail: the common way in Java libraries. */
    @Benchmark
    public ByteBuffer intLoop() {
        ReferenceMasking.intLoop(payload, offset, size, KEY);
        return payload;
    }

    /**
     * Not masking: a copy of the same size ({@code System.arraycopy} for the heap, a bulk
     * {@code put} for direct memory), which reads and writes every byte once as masking does.
     */
    @Benchmark
    public ByteBuffer copyCeiling() {
        if (payloadArray != null) {
            System.arraycopy(payloadArray, offset, copyArray, offset, size);
        } else {
            copy.put(offset, payload, offset, size);
        }
        return copy;
    }
}
