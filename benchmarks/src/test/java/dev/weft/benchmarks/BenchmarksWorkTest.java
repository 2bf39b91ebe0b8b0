package dev.weft.benchmarks;

import dev.weft.api.Role;
import dev.weft.benchmarks.support.Utf8Corpus;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each benchmark method called a few times for each parameter, without JMH: the build does not run
 * benchmarks, so this is what keeps their set-up and their answers from rotting unseen.
 */
class BenchmarksWorkTest {

    @Test
    void masking() {
        for (int size : new int[] {16, 1024}) {
            for (int offset : new int[] {0, 3}) {
                for (MaskingBenchmark.Memory memory : MaskingBenchmark.Memory.values()) {
                    MaskingBenchmark b = new MaskingBenchmark();
                    b.size = size;
                    b.offset = offset;
                    b.memory = memory;
                    b.setUp();
                    assertEquals(0, b.weft());
                    assertNotNull(b.byteLoop());
                    assertNotNull(b.intLoop());
                    assertNotNull(b.copyCeiling());
                }
            }
        }
    }

    @Test
    void utf8() {
        for (Utf8Corpus corpus : Utf8Corpus.values()) {
            Utf8Benchmark b = new Utf8Benchmark();
            b.corpus = corpus;
            b.setUp();
            String text = b.whole_newStringCeiling();
            assertTrue(b.whole_weftValidate());
            assertTrue(b.whole_weftValidateDirect());
            assertEquals(text, b.whole_weftText());
            assertEquals(text, b.whole_jdkDecoder());
            assertEquals(text, b.whole_jetty());
            assertTrue(b.fragments_weftValidate());
            assertEquals(text, b.fragments_weftText());
            assertEquals(text, b.fragments_jdkDecoder());
            assertEquals(text, b.fragments_jetty());
        }
    }

    @Test
    void framing() {
        for (int size : new int[] {64, 1024, 65536}) {
            for (Role role : Role.values()) {
                FramingBenchmark b = new FramingBenchmark();
                b.size = size;
                b.role = role;
                b.setUp();
                assertEquals(size, b.decode());
                assertEquals(2L * size, b.decode(), "the decoder goes on to the next frame");
                int header = 2 + (size > 125 ? size > 65535 ? 8 : 2 : 0) + (role == Role.CLIENT ? 4 : 0);
                assertEquals(role == Role.CLIENT ? header + size : header, b.encode().remaining());
            }
        }
    }

    @Test
    void echo() {
        for (String echo : new String[] {"bytes", "string"}) {
            for (int size : new int[] {64, 65536}) {
                EchoAllocationBenchmark b = new EchoAllocationBenchmark();
                b.size = size;
                b.echo = echo;
                b.setUp();  // checks that one text and one binary message are echoed
                assertEquals(3, b.echoText());
                assertEquals(4, b.echoBinary());
                b.checkStillOpen();
            }
        }
    }

    @Test
    void compression() {
        for (String extension : new String[] {"permessage-deflate", "permessage-zstd"}) {
            for (boolean takeover : new boolean[] {true, false}) {
                CompressionBenchmark b = new CompressionBenchmark();
                b.extension = extension;
                b.contextTakeover = takeover;
                b.serverWindowBits = 15;
                b.poolSize = -1;
                b.setUp();  // checks that the corpus comes back intact
                CompressionBenchmark.Bytes compressed = new CompressionBenchmark.Bytes();
                b.compress(compressed, BLACKHOLE);
                CompressionBenchmark.Bytes decompressed = new CompressionBenchmark.Bytes();
                b.decompress(decompressed, BLACKHOLE);
                assertEquals(compressed.originalBytes, decompressed.originalBytes, extension);
                assertEquals(compressed.compressedBytes, decompressed.compressedBytes, extension);
                assertTrue(compressed.compressedBytes < compressed.originalBytes / 2, extension + " compresses JSON");
            }
        }
    }

    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
}
