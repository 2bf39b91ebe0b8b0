package dev.weft.cluster;

import dev.weft.api.Message;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** The weft/1 envelope, byte for byte, and everything its decoder refuses. */
class EnvelopeTest {

    @Test
    void aTextPublication() throws Exception {
        Envelope e = new Envelope.Publication("node-1", 7, "lobby", null, Message.text("héllo\nworld"));
        assertBytes("weft/1 m node-1 7 t - lobby\nhéllo\nworld", e.encode());
        assertEquals(e, Envelope.decode(e.encode()));
    }

    @Test
    void aBinaryPublicationCarriesEveryByteValue() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        Envelope e = new Envelope.Publication("n", 1, "r", null, Message.binary(ByteBuffer.wrap(all)));
        assertArrayEquals(concat(utf8("weft/1 m n 1 b - r\n"), all), e.encode());
        Envelope.Publication back = (Envelope.Publication) Envelope.decode(e.encode());
        assertEquals(e, back);
        assertEquals(ByteBuffer.wrap(all), ((Message.Binary) back.message()).data(), "byte for byte");
    }

    @Test
    void theBinaryPayloadIsReadFromItsPositionToItsLimit() {
        ByteBuffer data = ByteBuffer.wrap(utf8("xxabcxx"), 2, 3);
        Envelope e = new Envelope.Publication("n", 1, "r", null, Message.binary(data));
        assertBytes("weft/1 m n 1 b - r\nabc", e.encode());
        assertEquals(2, data.position());
    }

    @Test
    void anExcludedConnection() throws Exception {
        Envelope e = new Envelope.Publication("n", 2, "lobby", "other.node_2:42", Message.text("hi"));
        assertBytes("weft/1 m n 2 t other.node_2:42 lobby\nhi", e.encode());
        assertEquals(e, Envelope.decode(e.encode()));
    }

    @Test
    void anEmptyPayload() throws Exception {
        Envelope e = new Envelope.Publication("n", 0, "r", null, Message.text(""));
        assertBytes("weft/1 m n 0 t - r\n", e.encode());
        assertEquals(e, Envelope.decode(e.encode()));
    }

    @Test
    void aRoomWithPercentCrLfAndSpacesIsEscaped() throws Exception {
        String room = " 50% off\r\nnow  here ";
        Envelope e = new Envelope.Publication("n", 3, room, null, Message.text("x"));
        assertBytes("weft/1 m n 3 t -  50%25 off%0D%0Anow  here \nx", e.encode());
        assertEquals(room, ((Envelope.Publication) Envelope.decode(e.encode())).room());
    }

    @Test
    void aRoomThatLooksEscapedIsEscapedAgain() throws Exception {
        Envelope e = new Envelope.Publication("n", 3, "%0A%25", null, Message.text("x"));
        assertBytes("weft/1 m n 3 t - %250A%2525\nx", e.encode());
        assertEquals("%0A%25", ((Envelope.Publication) Envelope.decode(e.encode())).room());
    }

    @Test
    void aRoomInUnicode() throws Exception {
        Envelope e = new Envelope.Publication("n", 3, "salle à manger 🍽", null, Message.text("x"));
        assertBytes("weft/1 m n 3 t - salle à manger 🍽\nx", e.encode());
        assertEquals(e, Envelope.decode(e.encode()));
    }

    @Test
    void whatAnotherProcessPublishes() throws Exception {
        Envelope e = Envelope.decode(utf8("weft/1 m backend 1 t a:3 lobby\nfrom the back end"));
        assertEquals(new Envelope.Publication("backend", 1, "lobby", "a:3", Message.text("from the back end")), e);
    }

    @Test
    void theLargestSequenceNumber() throws Exception {
        Envelope e = Envelope.decode(utf8("weft/1 m n 9223372036854775807 t - r\n"));
        assertEquals(Long.MAX_VALUE, e.sequence());
    }

    @Test
    void presenceWithACount() throws Exception {
        Envelope e = new Envelope.Presence("n", 4, Duration.ofSeconds(15), Map.of("lobby 1%", 3));
        assertBytes("weft/1 p n 4 15000\n3 lobby 1%25\n", e.encode());
        assertEquals(e, Envelope.decode(e.encode()));
    }

    @Test
    void presenceWithoutCounts() throws Exception {
        Envelope e = new Envelope.Presence("n", 5, Duration.ofMillis(1), Map.of());
        assertBytes("weft/1 p n 5 1\n", e.encode());
        assertEquals(e, Envelope.decode(e.encode()));
    }

    @Test
    void presenceWithManyCountsRoundTrips() throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            counts.put("room " + i + (i % 7 == 0 ? "\r\n%" : ""), i + 1);
        }
        counts.put("big", Integer.MAX_VALUE);
        Envelope e = new Envelope.Presence("node.9", 123, Duration.ofMillis(EnvelopeCodec.MAX_TTL_MS), counts);
        assertEquals(e, Envelope.decode(e.encode()));
        assertEquals(counts, ((Envelope.Presence) Envelope.decode(e.encode())).members());
    }

    @Test
    void theConstructorsRefuseWhatCouldNotBeDecoded() {
        Message m = Message.text("x");
        assertThrows(IllegalArgumentException.class, () -> new Envelope.Publication("bad node", 1, "r", null, m));
        assertThrows(IllegalArgumentException.class, () -> new Envelope.Publication("n", -1, "r", null, m));
        assertThrows(IllegalArgumentException.class, () -> new Envelope.Publication("n", 1, "r", "nocolon", m));
        assertThrows(IllegalArgumentException.class, () -> new Envelope.Publication("n", 1, "", null, m));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope.Presence("n", 1, Duration.ZERO, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope.Presence("n", 1, Duration.ofMillis(EnvelopeCodec.MAX_TTL_MS + 1), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope.Presence("n", 1, Duration.ofSeconds(1), Map.of("", 1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope.Presence("n", 1, Duration.ofSeconds(1), Map.of("r", -1)));
    }

    static Stream<Named<byte[]>> refused() {
        byte[] textHead = utf8("weft/1 m n 1 t - r\n");
        return Stream.of(
                // the version
                named("another version", "weft/2 m n 1 t - r\nx"),
                named("the version in capitals", "WEFT/1 m n 1 t - r\nx"),
                named("no version", "m n 1 t - r\nx"),
                named("an empty header", "\nx"),
                named("a header of the version alone", "weft/1\nx"),
                named("two spaces after the version", "weft/1  m n 1 t - r\nx"),
                // the kind
                named("an unknown kind", "weft/1 x n 1 t - r\nx"),
                named("the kind in capitals", "weft/1 M n 1 t - r\nx"),
                named("a kind of two letters", "weft/1 mp n 1 t - r\nx"),
                // the node
                named("a node id with a bad character", "weft/1 m n! 1 t - r\nx"),
                named("an empty node id", "weft/1 m  1 t - r\nx"),
                named("a node id of 65 characters", "weft/1 m " + "n".repeat(65) + " 1 t - r\nx"),
                named("a node id in Unicode", "weft/1 m nœud 1 t - r\nx"),
                // the sequence
                named("a sequence with a letter", "weft/1 m n 1a t - r\nx"),
                named("a negative sequence", "weft/1 m n -1 t - r\nx"),
                named("a sequence with a plus", "weft/1 m n +1 t - r\nx"),
                named("a sequence with a leading zero", "weft/1 m n 01 t - r\nx"),
                named("an empty sequence", "weft/1 m n  t - r\nx"),
                named("a sequence in hex", "weft/1 m n 0x1 t - r\nx"),
                named("a sequence in Arabic-Indic digits", "weft/1 m n ١ t - r\nx"),
                named("a sequence of 20 digits", "weft/1 m n 12345678901234567890 t - r\nx"),
                named("a sequence past the largest long", "weft/1 m n 9223372036854775808 t - r\nx"),
                named("a sequence of 19 nines", "weft/1 m n 9999999999999999999 t - r\nx"),
                // the opcode
                named("an unknown opcode", "weft/1 m n 1 x - r\nx"),
                named("the opcode in capitals", "weft/1 m n 1 T - r\nx"),
                named("an empty opcode", "weft/1 m n 1  - r\nx"),
                named("a message header without its room", "weft/1 m n 1 t -\nx"),
                named("a message header of five fields", "weft/1 m n 1 t\nx"),
                // the excluded connection
                named("an except without a colon", "weft/1 m n 1 t nocolon r\nx"),
                named("an except with a letter in its number", "weft/1 m n 1 t a:1b r\nx"),
                named("an except without its node", "weft/1 m n 1 t :1 r\nx"),
                named("an except without its number", "weft/1 m n 1 t a: r\nx"),
                named("an except of two dashes", "weft/1 m n 1 t -- r\nx"),
                named("an except with a 20-digit number", "weft/1 m n 1 t a:12345678901234567890 r\nx"),
                named("an except with a bad node", "weft/1 m n 1 t a!:1 r\nx"),
                named("an empty except", "weft/1 m n 1 t  r\nx"),
                // the room
                named("a bare percent at the end of a room", "weft/1 m n 1 t - r%\nx"),
                named("a percent and one digit", "weft/1 m n 1 t - r%2\nx"),
                named("a percent escape of another character", "weft/1 m n 1 t - r%41\nx"),
                named("a percent escape in lower case", "weft/1 m n 1 t - r%0a\nx"),
                named("a percent followed by letters", "weft/1 m n 1 t - %zzr\nx"),
                named("an empty room", "weft/1 m n 1 t - \nx"),
                named("a bare CR in a room", "weft/1 m n 1 t - r\r\nx"),
                // UTF-8
                named("a text payload with a lone continuation byte", concat(textHead, new byte[] {(byte) 0x80})),
                named("a text payload cut inside a character", concat(textHead, new byte[] {'a', (byte) 0xC3})),
                named("a text payload with an overlong NUL", concat(textHead, new byte[] {(byte) 0xC0, (byte) 0x80})),
                named("a text payload with a surrogate", concat(textHead, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})),
                named("a text payload past U+10FFFF", concat(textHead, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})),
                named("a text payload with 0xFF", concat(textHead, new byte[] {(byte) 0xFF})),
                named("a room that is not UTF-8", concat(utf8("weft/1 m n 1 t - r"), new byte[] {(byte) 0xFF, '\n', 'x'})),
                named("a node field that is not UTF-8", concat(utf8("weft/1 m "), new byte[] {(byte) 0xC3, ' ', '1', '\n'})),
                // presence
                named("a presence header with an extra field", "weft/1 p n 1 1000 x\n"),
                named("a presence header without its TTL", "weft/1 p n 1\n"),
                named("a TTL of 0", "weft/1 p n 1 0\n"),
                named("a TTL past an hour", "weft/1 p n 1 3600001\n"),
                named("a TTL that is not decimal", "weft/1 p n 1 1e3\n"),
                named("a TTL with a leading zero", "weft/1 p n 1 01000\n"),
                named("a count line without a count", "weft/1 p n 1 1000\nlobby\n"),
                named("a count line of a word", "weft/1 p n 1 1000\nx lobby\n"),
                named("a negative count", "weft/1 p n 1 1000\n-1 lobby\n"),
                named("a count with a leading zero", "weft/1 p n 1 1000\n01 lobby\n"),
                named("a count and a room not separated", "weft/1 p n 1 1000\n3lobby\n"),
                named("a count without a room", "weft/1 p n 1 1000\n3 \n"),
                named("an empty count line", "weft/1 p n 1 1000\n\n"),
                named("a count past the largest int", "weft/1 p n 1 1000\n2147483648 lobby\n"),
                named("a count of eleven digits", "weft/1 p n 1 1000\n12345678901 lobby\n"),
                named("a room counted twice", "weft/1 p n 1 1000\n1 a\n2 a\n"),
                named("a room counted twice, escaped once", "weft/1 p n 1 1000\n1 a%25\n2 a%25\n"),
                named("a count line with a bad escape", "weft/1 p n 1 1000\n1 a%\n"),
                named("a count line that is not UTF-8", concat(utf8("weft/1 p n 1 1000\n1 "), new byte[] {(byte) 0xFF, '\n'})),
                named("a count line without its line feed", "weft/1 p n 1 1000\n1 a\n2 b"),
                named("a count line ended by CR LF", "weft/1 p n 1 1000\n1 a\r\n"),
                // the line feed
                named("no bytes", ""),
                named("a message header without its line feed", "weft/1 m n 1 t - r"),
                named("a presence header without its line feed", "weft/1 p n 1 1000"),
                named("a header ended by CR LF", "weft/1 p n 1 1000\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refuses(byte[] envelope) {
        assertThrows(MalformedEnvelopeException.class, () -> Envelope.decode(envelope));
    }

    /**
     * Valid envelopes, changed at random: the decoder either reads them (and what it reads encodes
     * to bytes that read the same) or refuses them, and never fails in any other way.
     */
    @Test
    void mutatedEnvelopesAreReadOrRefusedAndNothingElse() {
        List<byte[]> seeds = List.of(
                utf8("weft/1 m node-1 7 t - lobby\nhello"),
                utf8("weft/1 m n 12 b a:3 50%25 off%0D%0A\n\u0000\u0001binary\n"),
                utf8("weft/1 p n 4 15000\n3 lobby\n12 a%0Ab\n"),
                utf8("weft/1 m backend 1 t a:3 lobby\né€😀"));
        byte[] interesting = utf8(" \n\r%-:0129tbmpw/AF");
        Random random = new Random(16);
        int read = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random, interesting);
            try {
                Envelope e = Envelope.decode(input);
                read++;
                assertEquals(e, Envelope.decode(e.encode()), () -> "re-encoded differently: " + hex(input));
            } catch (MalformedEnvelopeException expected) {
                // refused, as it should be
            } catch (RuntimeException | Error e) {
                fail("decoding " + hex(input) + " threw " + e, e);
            }
        }
        assertEquals(true, read > 1_000, "the mutations should leave many envelopes valid: " + read);
    }

    private static byte[] mutate(byte[] seed, Random random, byte[] interesting) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(seed);
        byte[] b = out.toByteArray();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            if (b.length == 0) {
                return b;
            }
            int at = random.nextInt(b.length);
            byte value = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
            switch (random.nextInt(5)) {
                case 0 -> b[at] = value;
                case 1 -> b = concat(concat(java.util.Arrays.copyOf(b, at), new byte[] {value}),
                        java.util.Arrays.copyOfRange(b, at, b.length));
                case 2 -> b = concat(java.util.Arrays.copyOf(b, at), java.util.Arrays.copyOfRange(b, at + 1, b.length));
                case 3 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    int to = at + random.nextInt(b.length - at + 1);
                    b = concat(java.util.Arrays.copyOf(b, to), java.util.Arrays.copyOfRange(b, at, b.length));
                }
            }
        }
        return b;
    }

    private static Named<byte[]> named(String name, String envelope) {
        return Named.of(name, utf8(envelope));
    }

    private static Named<byte[]> named(String name, byte[] envelope) {
        return Named.of(name, envelope);
    }

    private static void assertBytes(String expected, byte[] actual) {
        assertEquals(expected, new String(actual, StandardCharsets.UTF_8));
        assertArrayEquals(utf8(expected), actual);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
