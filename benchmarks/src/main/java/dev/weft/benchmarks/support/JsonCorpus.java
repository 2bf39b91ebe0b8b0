package dev.weft.benchmarks.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small JSON messages such as an API or a chat sends: {@link #COUNT} distinct objects of about
 * 200 B to 4 KiB, with repeated keys and varying values, the same on every run.
 */
public final class JsonCorpus {

    /** How many messages the corpus holds. */
    public static final int COUNT = 1000;

    private static final String[] NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] EVENTS = {"message.created", "presence.updated", "order.filled", "price.tick"};

    private JsonCorpus() {
    }

    /** The messages, each a read-only buffer of UTF-8 JSON. */
    public static List<ByteBuffer> messages() {
        SplittableRandom random = new SplittableRandom(7692);
        List<ByteBuffer> messages = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder s = new StringBuilder(4096);
            s.append("{\"id\":").append(100_000 + i)
                    .append(",\"event\":\"").append(EVENTS[random.nextInt(EVENTS.length)])
                    .append("\",\"ts\":").append(1_763_700_000_000L + random.nextInt(1_000_000))
                    .append(",\"items\":[");
            int items = 1 + random.nextInt(30);
            for (int j = 0; j < items; j++) {
                s.append(j == 0 ? "" : ",").append("{\"user\":\"").append(NAMES[random.nextInt(NAMES.length)])
                        .append(random.nextInt(1000)).append("\",\"price\":").append(random.nextInt(100_000) / 100.0)
                        .append(",\"qty\":").append(random.nextInt(500))
                        .append(",\"note\":\"").append(Long.toString(random.nextLong() >>> 20, 36)).append("\"}");
            }
            s.append("]}");
            messages.add(ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
        }
        return List.copyOf(messages);
    }
}
