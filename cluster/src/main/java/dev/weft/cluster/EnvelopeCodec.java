package dev.weft.cluster;

import dev.weft.api.Message;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** The parsing and escaping behind {@link Envelope}. */
final class EnvelopeCodec {

    static final long MAX_TTL_MS = 3_600_000;
    static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}:[0-9]{1,19}");
    private static final Pattern COUNT = Pattern.compile("0|[1-9][0-9]{0,9}");

    private EnvelopeCodec() {
    }

    static void checkSequence(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence: " + sequence);
        }
    }

    /** A room the decoder would refuse cannot be encoded: an empty name has no room field. */
    static void checkRoom(String room) {
        if (Objects.requireNonNull(room, "room").isEmpty()) {
            throw new IllegalArgumentException("a room needs a name");
        }
    }

    static String escape(String room) {
        if (room.indexOf('%') < 0 && room.indexOf('\n') < 0 && room.indexOf('\r') < 0) {
            return room;
        }
        return room.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String unescape(String field) throws MalformedEnvelopeException {
        StringBuilder room = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\r') {
                throw new MalformedEnvelopeException("a bare CR in a room name");
            }
            if (c != '%') {
                room.append(c);
                continue;
            }
            String code = field.length() >= i + 3 ? field.substring(i + 1, i + 3) : "";
            switch (code) {
                case "25" -> room.append('%');
                case "0D" -> room.append('\r');
                case "0A" -> room.append('\n');
                default -> throw new MalformedEnvelopeException("a '%' not followed by 25, 0D or 0A in a room name");
            }
            i += 2;
        }
        if (room.length() == 0) {
            throw new MalformedEnvelopeException("no room");
        }
        return room.toString();
    }

    static Envelope decode(byte[] bytes) throws MalformedEnvelopeException {
        int eol = indexOf(bytes, 0);
        if (eol < 0) {
            throw new MalformedEnvelopeException("no header line");
        }
        String[] f = utf8(bytes, 0, eol).split(" ", 7);
        if (!f[0].equals("weft/1")) {
            throw new MalformedEnvelopeException("not format weft/1: " + clip(f[0]));
        }
        if (f.length < 5 || !NodeId.isValid(f[2])) {
            throw new MalformedEnvelopeException("no valid node id");
        }
        long sequence = number(f[3], "sequence");
        switch (f[1]) {
            case "m" -> {
                if (f.length != 7) {
                    throw new MalformedEnvelopeException("a message header needs 7 fields");
                }
                String except = f[5].equals("-") ? null : f[5];
                if (except != null && !CONNECTION_ID.matcher(except).matches()) {
                    throw new MalformedEnvelopeException("not a connection id: " + clip(except));
                }
                String room = unescape(f[6]);
                int from = eol + 1;
                Message message = switch (f[4]) {
                    case "t" -> Message.text(utf8(bytes, from, bytes.length));
                    case "b" -> Message.binary(ByteBuffer.wrap(bytes, from, bytes.length - from).slice());
                    default -> throw new MalformedEnvelopeException("opcode neither t nor b: " + clip(f[4]));
                };
                return new Envelope.Publication(f[2], sequence, room, except, message);
            }
            case "p" -> {
                if (f.length != 5) {
                    throw new MalformedEnvelopeException("a presence header needs 5 fields");
                }
                long ttl = number(f[4], "ttl");
                if (ttl < 1 || ttl > MAX_TTL_MS) {
                    throw new MalformedEnvelopeException("ttl out of range: " + ttl);
                }
                return new Envelope.Presence(f[2], sequence, Duration.ofMillis(ttl), counts(bytes, eol + 1));
            }
            default -> throw new MalformedEnvelopeException("kind neither m nor p: " + clip(f[1]));
        }
    }

    private static Map<String, Integer> counts(byte[] bytes, int from) throws MalformedEnvelopeException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        while (from < bytes.length) {
            int eol = indexOf(bytes, from);
            if (eol < 0) {
                throw new MalformedEnvelopeException("a count line without its line feed");
            }
            String line = utf8(bytes, from, eol);
            int space = line.indexOf(' ');
            if (space < 0 || !COUNT.matcher(line.substring(0, space)).matches()) {
                throw new MalformedEnvelopeException("not 'COUNT ROOM': " + clip(line));
            }
            long count = Long.parseLong(line.substring(0, space));
            if (count > Integer.MAX_VALUE || counts.put(unescape(line.substring(space + 1)), (int) count) != null) {
                throw new MalformedEnvelopeException("a count too large, or a room counted twice");
            }
            from = eol + 1;
        }
        return counts;
    }

    private static long number(String field, String what) throws MalformedEnvelopeException {
        if (!field.matches("0|[1-9][0-9]{0,18}")) {
            throw new MalformedEnvelopeException("not a " + what + ": " + clip(field));
        }
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new MalformedEnvelopeException("a " + what + " too large: " + clip(field));
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Strict UTF-8: malformed input is refused, never replaced. */
    private static String utf8(byte[] bytes, int from, int to) throws MalformedEnvelopeException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEnvelopeException("not UTF-8");
        }
    }

    private static String clip(String field) {
        return field.length() <= 40 ? field : field.substring(0, 40) + "…";
    }
}
