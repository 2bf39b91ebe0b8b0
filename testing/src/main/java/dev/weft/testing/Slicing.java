package dev.weft.testing;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.testing.Negotiation.Agreement;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The slicing part of the {@link ExtensionContract}, for one variant: a decoder that hands back its
 * output in slices keeps {@link ExtensionDecoder}'s rules for them. The agreed halves are driven
 * directly, as the engine drives them, so every slice can be looked at: a large message encoded by
 * one end's encoder is decoded by the other end's decoder through {@code decode},
 * {@code hasPendingOutput} and {@code decodePending}, then a message in two frames follows, which
 * decodes only if the context after the last slice is as agreed (kept or reset).
 */
final class Slicing {

    /** The most output a slice may hold: what Weft's own extensions hand back at once. */
    static final int MAX_SLICE = 64 * 1024;
    /** The large message, in characters: text a compressor finds repeats in, big enough for many slices. */
    private static final int MESSAGE = 4 * 1024 * 1024;
    /** The message after it, in characters: two frames, each over one slice. */
    private static final int NEXT = 300_000;

    private final String variant;
    private final ExtensionFactory client;
    private final ExtensionFactory server;
    private final boolean required;

    /**
     * @param required whether the decoder must slice any output over {@link #MAX_SLICE}; otherwise it
     *     may return its output whole, and only the slices of an output it does slice are measured
     */
    Slicing(String variant, ExtensionFactory client, ExtensionFactory server, boolean required) {
        this.variant = variant;
        this.client = client;
        this.server = server;
        this.required = required;
    }

    List<Check> checks() {
        String rule = required ? "slices of at most 64 KiB" : "slices, if sliced of at most 64 KiB";
        List<Check> checks = new ArrayList<>();
        for (boolean fromClient : new boolean[] {true, false}) {
            checks.add(new Check("slicing: " + MESSAGE / (1024 * 1024) + " MiB of text come back in " + rule
                    + ", the next message after them, " + (fromClient ? "client to server" : "server to client")
                    + " [" + variant + "]", () -> sliced(fromClient)));
        }
        return checks;
    }

    private void sliced(boolean fromClient) {
        byte[] message = Traffic.text(new Random(1), MESSAGE).getBytes(StandardCharsets.UTF_8);
        byte[] next = Traffic.text(new Random(2), NEXT).getBytes(StandardCharsets.UTF_8);
        int split = 2 * next.length / 3;
        try (Agreement agreed = Agreement.of(client, server)) {
            Extension sender = fromClient ? agreed.client() : agreed.server();
            Extension receiver = fromClient ? agreed.server() : agreed.client();
            int claimed = receiver.rsv();
            Frame whole = encoded(sender, new Frame(true, 0, Opcode.BINARY, ByteBuffer.wrap(message)));
            same(message, decoded(receiver, whole, claimed, "the message"), "the message");
            Frame first = encoded(sender, new Frame(false, 0, Opcode.BINARY, ByteBuffer.wrap(next, 0, split)));
            Frame last = encoded(sender, new Frame(true, 0, Opcode.CONTINUATION,
                    ByteBuffer.wrap(next, split, next.length - split)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(decoded(receiver, first, claimed, "the next message's first frame"));
            out.writeBytes(decoded(receiver, last, claimed, "the next message's last frame"));
            same(next, out.toByteArray(), "the next message");
        }
    }

    /** {@code frame} through the sender's encoder, its payload copied: an encoder may reuse its buffer. */
    private static Frame encoded(Extension sender, Frame frame) {
        Frame encoded = sender.encoder().encode(frame);
        ByteBuffer payload = encoded.payload();
        byte[] copy = new byte[payload.remaining()];
        payload.get(copy);
        return encoded.withPayload(ByteBuffer.wrap(copy));
    }

    /** The output of one incoming frame, each slice checked against {@link ExtensionDecoder}'s rules. */
    private byte[] decoded(Extension receiver, Frame frame, int claimed, String what) {
        ExtensionDecoder decoder = receiver.decoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frame slice = decoder.decode(frame);
        boolean sliced = decoder.hasPendingOutput();
        for (int i = 0; ; i++) {
            boolean more = decoder.hasPendingOutput();
            String at = what + ", slice " + (i + 1) + (more ? "" : " (the last)") + ": ";
            Opcode opcode = i == 0 ? frame.opcode() : Opcode.CONTINUATION;
            if (slice.opcode() != opcode) {
                throw new AssertionError(at + "opcode " + slice.opcode() + " instead of " + opcode);
            }
            if (slice.fin() != (!more && frame.fin())) {
                throw new AssertionError(at + "fin " + slice.fin() + ", but only the last slice carries the frame's fin ("
                        + frame.fin() + ")");
            }
            if ((slice.rsv() & claimed) != 0) {
                throw new AssertionError(at + "carries 0x" + Integer.toHexString(slice.rsv() & claimed)
                        + ", a bit the extension claimed");
            }
            ByteBuffer payload = slice.payload();
            if ((sliced || required) && payload.remaining() > MAX_SLICE) {
                throw new AssertionError(at + payload.remaining() + " bytes, over the " + MAX_SLICE + " a slice may hold");
            }
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            out.writeBytes(bytes);
            if (!more) {
                return out.toByteArray();
            }
            slice = decoder.decodePending();
        }
    }

    private static void same(byte[] expected, byte[] actual, String what) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionError(what + " of " + expected.length + " bytes decoded to " + actual.length
                    + " bytes, differing from byte " + Arrays.mismatch(expected, actual));
        }
    }
}
