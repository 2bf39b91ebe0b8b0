package dev.weft.core.test;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionDecoder;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Decodes frames through an extension that may hand back its output in slices, as the engine does
 * ({@link ExtensionDecoder#decode}, then {@link ExtensionDecoder#decodePending} while
 * {@link ExtensionDecoder#hasPendingOutput}), and checks each slice against that contract: the first
 * has the frame's opcode, the others are continuations, only the last may carry the frame's fin,
 * and none carries RSV1. Shared by the tests of every extension module (core's test-jar).
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
}
