package dev.weft.benchmarks.support;

import dev.weft.core.message.Utf8Validator;
import org.eclipse.jetty.util.Utf8StringBuilder;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The ways of checking and decoding a UTF-8 text message that {@code Utf8Benchmark} compares, each
 * used as its library means it to be used for a WebSocket message, whole or fragment by fragment.
 * Methods that decode return the text, or {@code null} if the bytes are not valid UTF-8; methods
 * that only validate return whether they are. Every method reads the bytes from index 0 to the
 * limit of a heap or direct buffer and leaves its position and limit as they were.
 *
 * <p>The state each library keeps per connection (a validator, a decoder and its output, a string
 * builder, a message buffer) is made once here and reused, as a connection would. Not thread-safe.
 */
public final class Utf8Decoders {

    private static final Supplier<IllegalArgumentException> INVALID = IllegalArgumentException::new;

    private final Utf8Validator validator = new Utf8Validator();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer chars;
    private final Utf8StringBuilder jetty;
    private final byte[] message;

    /** @param maxBytes the longest message these methods will be given */
    public Utf8Decoders(int maxBytes) {
        this.chars = CharBuffer.allocate(maxBytes);
        this.jetty = new Utf8StringBuilder(maxBytes);
        this.message = new byte[maxBytes];
    }

    // ---------------------------------------------------------------- Weft

    /** Weft's validator over a whole message. */
    public boolean weftValidate(ByteBuffer in) {
        validator.reset();
        return validator.validate(in, 0, in.limit()) < 0 && validator.isComplete();
    }

    /** Weft's validator fed a message in fragments, carrying a split code point from one to the next. */
    public boolean weftValidateFragments(ByteBuffer in, int fragment) {
        validator.reset();
        int end = in.limit();
        for (int from = 0; from < end; from += fragment) {
            if (validator.validate(in, from, Math.min(from + fragment, end)) >= 0) {
                return false;  // fails on the first bad byte, before later fragments arrive
            }
        }
        return validator.isComplete();
    }

    /**
     * What a Weft text message in one frame costs: validated, then decoded once by the JDK's
     * lenient (and so faster) decoder, as {@code MessageAssembler} does.
     */
    public String weftText(ByteBuffer in) {
        if (!weftValidate(in)) {
            return null;
        }
        if (in.hasArray()) {
            return new String(in.array(), in.arrayOffset(), in.limit(), StandardCharsets.UTF_8);
        }
        in.get(0, message, 0, in.limit());
        return new String(message, 0, in.limit(), StandardCharsets.UTF_8);
    }

    /**
     * What a Weft text message in fragments costs: each fragment validated as it arrives and
     * gathered into the connection's message buffer, decoded once at the end.
     */
    public String weftTextFragments(ByteBuffer in, int fragment) {
        validator.reset();
        int end = in.limit();
        for (int from = 0; from < end; from += fragment) {
            int to = Math.min(from + fragment, end);
            if (validator.validate(in, from, to) >= 0) {
                return null;
            }
            in.get(from, message, from, to - from);
        }
        return validator.isComplete() ? new String(message, 0, end, StandardCharsets.UTF_8) : null;
    }

    // ---------------------------------------------------------------- the JDK

    /** The JDK's strict decoder (errors reported, not replaced) into a reused char buffer. */
    public String jdkDecode(ByteBuffer in) {
        int limit = in.limit();
        decoder.reset();
        chars.clear();
        try {
            CoderResult result = decoder.decode(in.position(0), chars, true);
            if (result.isError() || decoder.flush(chars).isError()) {
                return null;
            }
            return chars.flip().toString();
        } finally {
            in.limit(limit).position(0);
        }
    }

    /**
     * The JDK's strict decoder fed fragments: each call leaves the bytes of a split code point
     * unread, and the next fragment extends the same buffer behind them.
     */
    public String jdkDecodeFragments(ByteBuffer in, int fragment) {
        int end = in.limit();
        decoder.reset();
        chars.clear();
        try {
            in.position(0);
            for (int to = Math.min(fragment, end); ; to = Math.min(to + fragment, end)) {
                boolean last = to == end;
                if (decoder.decode(in.limit(to), chars, last).isError()) {
                    return null;
                }
                if (last) {
                    break;
                }
            }
            if (decoder.flush(chars).isError()) {
                return null;
            }
            return chars.flip().toString();
        } finally {
            in.limit(end).position(0);
        }
    }

    /**
     * {@code new String(bytes, UTF_8)}: replaces malformed input instead of failing, so it is no
     * validator at all, only the ceiling of what decoding to a String can cost. Heap buffers only.
     */
    public static String newString(ByteBuffer in) {
        return new String(in.array(), in.arrayOffset(), in.limit(), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- Jetty

    /**
     * Jetty's {@link Utf8StringBuilder}, as Jetty's WebSocket text message sink uses it: the
     * payload appended, then the complete string taken, failing if it had bad or unfinished code
     * points.
     */
    public String jetty(ByteBuffer in) {
        try {
            jetty.append(in.position(0));
            return jetty.takeCompleteString(INVALID);
        } catch (IllegalArgumentException e) {
            jetty.reset();
            return null;
        } finally {
            in.position(0);
        }
    }

    /** Jetty's builder fed a message one fragment at a time, as its sink is, frame by frame. */
    public String jettyFragments(ByteBuffer in, int fragment) {
        int end = in.limit();
        try {
            for (int from = 0; from < end; from += fragment) {
                jetty.append(in.limit(Math.min(from + fragment, end)).position(from));
            }
            return jetty.takeCompleteString(INVALID);
        } catch (IllegalArgumentException e) {
            jetty.reset();
            return null;
        } finally {
            in.limit(end).position(0);
        }
    }
}
