package dev.weft.cluster;

import dev.weft.api.Message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What crosses the broker between nodes: a message published to a room, or a node's member counts.
 * Format version 1 is a header line of ASCII fields separated by single spaces, ended by a line
 * feed, and then a body; any process may publish it (with {@code redis-cli PUBLISH}, even):
 *
 * <pre>
 * weft/1 m NODE SEQUENCE OPCODE EXCEPT ROOM\n PAYLOAD
 * weft/1 p NODE SEQUENCE TTL_MS\n (COUNT ROOM\n)*
 * </pre>
 *
 * <ul>
 * <li>{@code NODE}: the publisher, 1 to 64 of {@code A-Z a-z 0-9 . _ -} ({@link NodeId}).
 * <li>{@code SEQUENCE}: decimal, counting from 1 per publisher and channel, so that a receiver
 *     sees a gap; 1 starts a new count (a restarted publisher), 0 means "not counted".
 * <li>{@code OPCODE}: {@code t} for a text message (the payload must be UTF-8), {@code b} binary.
 * <li>{@code EXCEPT}: the id of a connection that must not receive it ({@link Rooms#idOf}), or
 *     {@code -}.
 * <li>{@code ROOM}: the rest of the line, not empty, UTF-8, with {@code %}, CR and LF written {@code %25},
 *     {@code %0D} and {@code %0A}.
 * <li>{@code PAYLOAD}: the message's bytes, to the end.
 * <li>{@code TTL_MS}: how long the counts that follow hold, 1 to 3,600,000 ms; each line after the
 *     header is a room's member count on the publishing node.
 * </ul>
 */
public sealed interface Envelope permits Envelope.Publication, Envelope.Presence {

    /** The node that published it. */
    String node();

    /** Its sequence number on its channel; 0 if not counted. */
    long sequence();

    /** Its bytes, in format version 1. */
    byte[] encode();

    /**
     * A message published to a room.
     *
     * @param except the id of a connection that must not receive it, or null
     */
    record Publication(String node, long sequence, String room, String except, Message message)
            implements Envelope {

        public Publication {
            NodeId.check(node);
            EnvelopeCodec.checkSequence(sequence);
            EnvelopeCodec.checkRoom(room);
            Objects.requireNonNull(message, "message");
            if (except != null && !EnvelopeCodec.CONNECTION_ID.matcher(except).matches()) {
                throw new IllegalArgumentException("not a connection id: " + except);
            }
        }

        @Override
        public byte[] encode() {
            boolean text = message instanceof Message.Text;
            byte[] head = ("weft/1 m " + node + " " + sequence + (text ? " t " : " b ")
                    + (except == null ? "-" : except) + " " + EnvelopeCodec.escape(room) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            // The payload is copied once, straight into the envelope.
            ByteBuffer payload = text
                    ? ByteBuffer.wrap(((Message.Text) message).text().getBytes(StandardCharsets.UTF_8))
                    : ((Message.Binary) message).data().duplicate();
            byte[] all = new byte[head.length + payload.remaining()];
            System.arraycopy(head, 0, all, 0, head.length);
            payload.get(all, head.length, payload.remaining());
            return all;
        }
    }

    /**
     * A node's member counts, which hold for {@code ttl} unless a newer one replaces them.
     *
     * @param members room to the number of its members on that node; rooms with none are left out
     */
    record Presence(String node, long sequence, Duration ttl, Map<String, Integer> members) implements Envelope {

        public Presence {
            NodeId.check(node);
            EnvelopeCodec.checkSequence(sequence);
            if (ttl.toMillis() < 1 || ttl.toMillis() > EnvelopeCodec.MAX_TTL_MS) {
                throw new IllegalArgumentException("ttl out of range: " + ttl);
            }
            members = Map.copyOf(members);
            members.forEach((room, count) -> {
                EnvelopeCodec.checkRoom(room);
                if (count < 0) {
                    throw new IllegalArgumentException("a negative count for room " + room + ": " + count);
                }
            });
        }

        @Override
        public byte[] encode() {
            StringBuilder s = new StringBuilder("weft/1 p ").append(node).append(' ').append(sequence)
                    .append(' ').append(ttl.toMillis()).append('\n');
            members.forEach((room, count) -> s.append(count).append(' ').append(EnvelopeCodec.escape(room)).append('\n'));
            return s.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Reads an envelope, strictly: any departure from format version 1 (another version, a bad
     * field, a text payload that is not UTF-8) is refused, never guessed at.
     */
    static Envelope decode(byte[] bytes) throws MalformedEnvelopeException {
        return EnvelopeCodec.decode(bytes);
    }
}
