package dev.weft.testing;

import dev.weft.api.WebSocketException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The recorder's three streams, its waits from another thread, and its failure messages. */
class RecorderTest {

    @Test
    void recordsEveryEventAsAShortString() {
        Recorder r = Recorder.recording();
        r.onOpen(null);
        r.onText(null, "hi");
        r.onBinary(null, ByteBuffer.wrap(new byte[] {0x0a, 0x0b}));
        r.onBinary(null, ByteBuffer.allocate(Recorder.HEX_LIMIT + 1));
        r.onPing(null, ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8)));
        r.onPong(null, ByteBuffer.wrap("q".getBytes(StandardCharsets.UTF_8)));
        r.onError(null, new WebSocketException(1002, "bad"));
        r.onError(null, new java.io.IOException("reset"));
        r.onClose(null, 1000, "bye");
        r.assertEvents("open", "text:hi", "binary:0a0b", "binary:" + (Recorder.HEX_LIMIT + 1) + " bytes", "ping:p", "pong:q", "error:1002",
                "error:IOException", "close:1000:*");
        assertEquals(List.of(), r.take(), "assertEvents consumed them");
        assertEquals(1000, r.closeCode());
        assertEquals("1000 bye", r.awaitClose());
        assertEquals(List.of(1000), r.closeCodes());
        assertEquals(2, r.errors().size());
        assertEquals("q", r.nextPong());
        assertEquals("hi", r.nextText());
        assertArrayEquals(new byte[] {0x0a, 0x0b}, r.nextBinary());
    }

    @Test
    void waitsForEventsFromAnotherThread() throws Exception {
        Recorder r = Recorder.recording();
        Thread loop = new Thread(() -> {
            r.onOpen(null);
            r.onText(null, "late");
            r.onClose(null, 1001, "going");
        });
        loop.start();
        r.expect("open", "text:late");
        assertEquals("close:1001:going", r.await("close"));
        assertEquals(1001, r.closeCode());
        loop.join();
    }

    @Test
    void aWaitThatTimesOutOrAMismatchFailsWithWhatWasSeen() {
        Recorder r = Recorder.recording().timeout(Duration.ofMillis(10));
        assertEquals(Optional.empty(), r.poll(Duration.ofMillis(1)));
        AssertionError none = assertThrows(AssertionError.class, r::next);
        assertTrue(none.getMessage().startsWith("no event within"), none.getMessage());
        assertThrows(AssertionError.class, r::closeCode);
        r.onText(null, "a");
        AssertionError wrong = assertThrows(AssertionError.class, () -> r.assertEvents("text:b"));
        assertEquals("expected events [text:b] but got [text:a]", wrong.getMessage());
        r.onBinary(null, ByteBuffer.allocate(1));
        assertThrows(AssertionError.class, r::nextBinary, "the next message is the text");
    }

    @Test
    void anEchoingRecorderSendsMessagesBackOverAPair() {
        Recorder client = Recorder.recording();
        InMemoryPair pair = InMemoryPair.connect(Recorder.echoing(), client);
        pair.client().sendText("hello");
        pair.client().sendBinary(ByteBuffer.wrap(new byte[] {1, 2}));
        pair.flush();
        client.assertEvents("open", "text:hello", "binary:0102");
        assertEquals(2, client.takeMessages().size());
    }
}
