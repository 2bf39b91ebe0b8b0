package dev.weft.ext.zlib;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The pool lends contexts, takes them back reset, keeps at most its capacity and ends the rest. */
class ZlibPoolTest {

    private static final ByteBuffer TEXT = ByteBuffer.wrap("hello hello hello hello".getBytes(StandardCharsets.UTF_8));

    @Test
    void aReturnedCompressorIsLentAgainWithAFreshStream() {
        ZlibPool pool = new ZlibPool(6, 2);
        Compressor first = pool.borrowCompressor(Zlib.MAX_WINDOW_BITS);
        ByteBuffer once = first.deflateFlushed(TEXT.duplicate());
        pool.giveBack(first);
        Compressor again = pool.borrowCompressor(Zlib.MAX_WINDOW_BITS);
        assertSame(first, again);
        // Reset: the same bytes compress the same way, not as a back-reference to the first time.
        assertEquals(once, again.deflateFlushed(TEXT.duplicate()));
        pool.giveBack(again);
        assertEquals(1, pool.idle());
    }

    @Test
    void overCapacityReturnedContextsAreEndedAndEmptyMakesNew() {
        ZlibPool pool = new ZlibPool(6, 2);
        int live = Zlib.live();
        List<Compressor> lent = new ArrayList<>();
        List<Decompressor> inflaters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lent.add(pool.borrowCompressor(Zlib.MAX_WINDOW_BITS));
            inflaters.add(pool.borrowDecompressor());
        }
        assertEquals(live + 10, Zlib.live(), "an empty pool makes a context for each borrower");
        lent.forEach(pool::giveBack);
        inflaters.forEach(pool::giveBack);
        assertEquals(4, pool.idle(), "two of each kept");
        assertEquals(live + 4, Zlib.live(), "the rest ended");
        assertNotSame(pool.borrowDecompressor(), pool.borrowDecompressor());
    }

    @Test
    void aCompressorIsLentOnlyForItsOwnWindow() {
        ZlibPool pool = new ZlibPool(6, 4);
        Compressor wide = pool.borrowCompressor(Zlib.MAX_WINDOW_BITS);
        pool.giveBack(wide);
        if (Zlib.compressesWith(10)) {
            Compressor narrow = pool.borrowCompressor(10);
            assertEquals(10, narrow.windowBits());
            pool.giveBack(narrow);
        }
        assertSame(wide, pool.borrowCompressor(Zlib.MAX_WINDOW_BITS));
    }

    @Test
    void manyThreadsBorrowingAndReturningKeepTheCountsRight() throws Exception {
        ZlibPool pool = new ZlibPool(6, 3);
        int inUse = Zlib.inUse();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        Compressor c = pool.borrowCompressor(Zlib.MAX_WINDOW_BITS);
                        c.deflateFlushed(TEXT.duplicate());
                        pool.giveBack(c);
                        pool.giveBack(pool.borrowDecompressor());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(inUse, Zlib.inUse(), "every borrowed context came back or was ended");
        assertEquals(true, pool.idle() <= 2 * pool.capacity());
    }

    @Test
    void slicedInflaterWithAPoolHoldsAContextOnlyWithinAStream() throws Exception {
        ZlibPool pool = new ZlibPool(6, 2);
        Compressor c = Zlib.newCompressor(6, Zlib.MAX_WINDOW_BITS);
        ByteBuffer compressed = c.deflateFlushed(TEXT.duplicate());
        Zlib.end(c);
        try (SlicedInflater inflater = new SlicedInflater(pool)) {
            assertEquals(0, inflater.heldBytes());
            inflater.start(compressed, false, 1 << 20);
            assertEquals(TEXT.duplicate(), inflater.nextSlice());
            assertEquals(Zlib.INFLATER_BYTES, inflater.heldBytes());
            inflater.resetStream();
            assertEquals(0, inflater.heldBytes(), "given back at the end of the stream");
            assertEquals(1, pool.idle());
            inflater.start(compressed.rewind(), false, 1 << 20);
            assertEquals(0, pool.idle(), "borrowed again");
        }
        assertEquals(1, pool.idle(), "closing mid-stream gives it back");
    }

    @Test
    void nativeZlibIsFoundExactlyOnJdk22AndLater() {
        boolean newJdk = Runtime.version().feature() >= 22;
        assertEquals(newJdk, Zlib.nativeAvailable(), "libz.so.1 is on these machines");
        assertEquals(newJdk, Zlib.compressesWith(10));
        assertEquals(Compressor.Path.JDK, Zlib.pathFor(Zlib.MAX_WINDOW_BITS));
        assertEquals(false, Zlib.compressesWith(8), "zlib refuses a 256-byte window for raw deflate");
    }
}
