package dev.weft.transport.nio.loop;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanesTest {

    @Test
    void eachThreadCountsInItsOwnLaneAndTheSumHasThemAll() throws InterruptedException {
        Lanes lanes = new Lanes();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    lanes.add(Lanes.Count.MESSAGES_IN, 1);
                    lanes.add(Lanes.Count.BYTES_IN, 64);
                }
            });
            threads.add(thread);
            thread.start();
        }
        long seen = 0;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            long now = lanes.sum(Lanes.Count.MESSAGES_IN);
            assertTrue(now >= seen, "a count never goes down");
            seen = now;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(400_000, lanes.sum(Lanes.Count.MESSAGES_IN));
        assertEquals(400_000L * 64, lanes.sum(Lanes.Count.BYTES_IN));
        assertEquals(0, lanes.sum(Lanes.Count.MESSAGES_OUT));
    }
}
