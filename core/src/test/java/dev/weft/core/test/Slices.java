package dev.weft.core.test;

import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionDecoder;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes frames through an extension that may hand back its output in slices, as the engine does
 * ({@link ExtensionDecoder#decode}, then {@link ExtensionDecoder#decodePending} while
 * {@link ExtensionDecoder#hasPendingOutput}), and checks each slice against that contract: the first
 * has the frame's opcode, the others are continuations, only the last may carry the frame's fin,
 * and none carries RSV1. Also the checks those tests make around slicing: what an extension holds
 * while output is pending, and a bomb refused once its output passes the limit; and the text they
 * slice. Shared by the tests of every extension module (core's test-jar).
 */
public final class Slices {

    /** The most output Weft's extensions hand back at once. */
    public static final int MAX = 64 * 1024;

    private Slices() {
    }

    /** The payload of every slice of {@code frame}'s output, copied, in order. */
    public static List<byte[]> decode(Extension extension, Frame frame) {
        List<byte[]> slices = new ArrayList<>();
        decode(extension, frame, slices::add);
        return slices;
    }

    /**
     * Hands the payload of each slice of {@code frame}'s output to {@code sink} as it comes, so that
     * what a frame that fails handed back before it failed is seen.
     */
    public static void decode(Extension extension, Frame frame, Consumer<byte[]> sink) {
        ExtensionDecoder decoder = extension.decoder();
        Frame slice = decoder.decode(frame);
        Opcode opcode = frame.opcode();
        while (true) {
            boolean more = decoder.hasPendingOutput();
            assertEquals(opcode, slice.opcode());
            assertEquals(!more && frame.fin(), slice.fin());
            assertEquals(frame.rsv() & ~Frame.RSV1, slice.rsv());
            ByteBuffer payload = slice.payload();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            sink.accept(bytes);
            if (!more) {
                return;
            }
            slice = decoder.decodePending();
            opcode = Opcode.CONTINUATION;
        }
    }

    /** All of {@code frame}'s output, however many slices it came in. */
    public static byte[] joined(Extension extension, Frame frame) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        decode(extension, frame, out::writeBytes);
        return out.toByteArray();
    }

    /** {@code size} bytes of words picked at random: compressible, but not to nothing. */
    public static byte[] words(int size, long seed) {
        String[] words = {"weft ", "warp ", "loom ", "shuttle ", "deflate ", "heddle ", "bobbin ", "reed "};
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
        while (out.size() < size) {
            out.writeBytes(words[random.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
        }
        return Arrays.copyOf(out.toByteArray(), size);
    }

    /** What an extension holds while a frame's output is pending, and once all of it is out. */
    public record Held(long whilePending, long after) {
    }

    /**
     * Decodes {@code frame}, whose output must come in more than one slice, and drains it; once it is
     * out, nothing is pending ({@code decodePending} throws).
     */
    public static Held held(Extension extension, Frame frame) {
        ExtensionDecoder decoder = extension.decoder();
        decoder.decode(frame);
        assertTrue(decoder.hasPendingOutput());
        long whilePending = extension.heldBytes();
        while (decoder.hasPendingOutput()) {
            decoder.decodePending();
        }
        Held held = new Held(whilePending, extension.heldBytes());
        assertThrows(IllegalStateException.class, decoder::decodePending);
        return held;
    }

    /**
     * Decodes {@code frame}, whose output passes {@code limit}: it must fail with 1009, having handed
     * back every byte up to the limit first, in full slices.
     *
     * @return the failure
     */
    public static WebSocketException refusedPastLimit(Extension extension, Frame frame, int limit) {
        long[] handedBack = new long[2];
        WebSocketException e = assertThrows(WebSocketException.class, () -> decode(extension, frame, slice -> {
            handedBack[0] += slice.length;
            handedBack[1]++;
        }));
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
        assertEquals(limit, handedBack[0], "every byte up to the limit, in slices");
        assertEquals(limit / MAX, handedBack[1]);
        return e;
    }
}
