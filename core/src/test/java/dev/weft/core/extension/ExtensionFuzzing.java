package dev.weft.core.extension;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.weft.api.CloseCodes;
import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.WebSocketException;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionDecoder;
import dev.weft.api.extension.ExtensionEncoder;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.core.test.FuzzSeed;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness of the extension decoder fuzz targets (docs/fuzzing.md): an extension agreed through
 * the public SPI from an arbitrary {@code Sec-WebSocket-Extensions} value (a server's
 * {@link ExtensionFactory#accept}, a client's {@link ExtensionFactory#accepted}), then given an
 * arbitrary sequence of frames to {@link ExtensionDecoder#decode}, as the engine would give them: only
 * sequences the frame layer lets through (no continuation outside a message, control frames final
 * and at most 125 bytes), with RSV1 set or not at will.
 *
 * <p>It asserts the extension's contract:
 * <ul>
 * <li>a client's {@code accepted} refuses parameters only with a {@link WebSocketException};
 *     a server's {@code accept} never throws;
 * <li>{@code decode} and {@code decodePending} fail only with a {@link WebSocketException} whose
 *     code is 1002, 1007 or 1009;
 * <li>output may come in slices: {@link ExtensionDecoder#decodePending} is drained while
 *     {@link ExtensionDecoder#hasPendingOutput} is true; every slice after the first is a continuation,
 *     only the last carries the incoming frame's {@code fin}, and none carries the extension's
 *     RSV bits; control frames pass through unchanged;
 * <li>a compressed message never inflates past the maximum message size: the output of its
 *     compressed frames, slices added up, stays within the limit (going over is a 1009). What an
 *     extension passes through uncompressed is the engine's to limit, not the extension's;
 * <li>{@link Extension#close} frees every native context: the module's count of live contexts is
 *     back where it started.
 * </ul>
 *
 * <p>Input layout, in consumption order: role (server if true), maximum message size (3 bytes, at
 * most 1 MiB, so no single input runs for long), the header's length and bytes; then per frame a
 * kind (0 text, 1 binary, 2 ping, 3 pong, 4 close; data becomes a continuation inside a message),
 * {@code fin}, RSV1, the payload's length (2 bytes) and bytes.
 */
public final class ExtensionFuzzing {

    /** The codes a decoder may fail with: a protocol error, data that does not decompress, too big. */
    private static final Set<Integer> DECODE_FAILURES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD,
            CloseCodes.MESSAGE_TOO_BIG);
    private static final Opcode[] KINDS = {Opcode.TEXT, Opcode.BINARY, Opcode.PING, Opcode.PONG, Opcode.CLOSE};

    /** What the extension's RSV1 marks as compressed. */
    public enum Compression {
        /** A whole message, by its first frame (permessage-deflate, permessage-zstd). */
        PER_MESSAGE,
        /** Each frame on its own (deflate-frame). */
        PER_FRAME
    }

    private ExtensionFuzzing() {
    }

    /**
     * Runs one input against the extension {@code factory} agrees.
     *
     * @param compression what RSV1 marks as compressed
     * @param liveContexts the extension module's count of native contexts not yet freed
     */
    public static void run(FuzzedDataProvider data, ExtensionFactory factory, Compression compression,
                           IntSupplier liveContexts) {
        Role role = data.consumeBoolean() ? Role.SERVER : Role.CLIENT;
        int maxMessageSize = data.consumeInt(1, 0xFFFFF);
        String header = new String(data.consumeBytes(data.consumeInt(0, 255)), StandardCharsets.ISO_8859_1);
        ExtensionContext context = new ExtensionContext(role, 1 << 16, maxMessageSize);
        int liveBefore = liveContexts.getAsInt();
        Extension extension = agree(factory, header, context);
        if (extension == null) {
            assertEquals(liveBefore, liveContexts.getAsInt(), "a refused negotiation left native contexts");
            return;
        }
        try {
            decodeFrames(data, extension, compression, maxMessageSize);
        } finally {
            extension.close();
        }
        assertEquals(liveBefore, liveContexts.getAsInt(), "close() left native contexts");
    }

    private static Extension agree(ExtensionFactory factory, String header, ExtensionContext context) {
        List<ExtensionParameters> elements;
        try {
            elements = ExtensionHeader.parse(List.of(header));
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (ExtensionParameters element : elements) {
            if (!element.name().equals(factory.name())) {
                continue;
            }
            if (context.role() == Role.SERVER) {
                Extension agreed = factory.accept(element, context).orElse(null);
                if (agreed != null) {
                    return agreed;
                }
            } else {
                try {
                    return factory.accepted(element, context);
                } catch (WebSocketException refused) {
                    return null;
                }
            }
        }
        return null;
    }

    private static void decodeFrames(FuzzedDataProvider data, Extension extension, Compression compression,
                                     int maxMessageSize) {
        boolean inMessage = false;
        boolean messageCompressed = false;
        long inflated = 0;
        while (data.remainingBytes() > 0) {
            Opcode opcode = KINDS[data.consumeInt(0, KINDS.length - 1)];
            boolean fin = data.consumeBoolean();
            int rsv = data.consumeBoolean() ? Frame.RSV1 : 0;
            byte[] payload = data.consumeBytes(data.consumeInt(0, 0xFFFF));
            if (opcode.isControl()) {
                // The frame layer lets only final control frames of at most 125 bytes through.
                fin = true;
                payload = Arrays.copyOf(payload, Math.min(payload.length, 125));
            } else if (inMessage) {
                opcode = Opcode.CONTINUATION;
            } else {
                inflated = 0;
                messageCompressed = rsv != 0;
            }
            Frame in = new Frame(fin, rsv, opcode, ByteBuffer.wrap(payload));
            long produced;
            try {
                produced = decodeAll(extension, in);
            } catch (WebSocketException e) {
                assertTrue(DECODE_FAILURES.contains(e.closeCode()), "failed with " + e.closeCode() + ": " + e);
                return;
            }
            if (!opcode.isControl()) {
                if (compression == Compression.PER_MESSAGE ? messageCompressed : rsv != 0) {
                    inflated += produced;
                    assertTrue(inflated <= maxMessageSize,
                            "a message inflated to " + inflated + " bytes, over the maximum of " + maxMessageSize);
                }
                inMessage = !fin;
            }
        }
    }

    /** Decodes one frame, draining its slices; returns the bytes of output. */
    private static long decodeAll(Extension extension, Frame in) {
        ExtensionDecoder decoder = extension.decoder();
        Frame out = decoder.decode(in);
        if (in.opcode().isControl()) {
            assertFalse(decoder.hasPendingOutput(), "a control frame left output pending");
            assertEquals(in, out, "a control frame changed");
            return 0;
        }
        long produced = 0;
        boolean first = true;
        while (true) {
            assertEquals(0, out.rsv() & extension.rsv(), "a decoded frame kept the extension's RSV bits");
            assertEquals(first ? in.opcode() : Opcode.CONTINUATION, out.opcode(), "slice opcode");
            produced += out.payloadLength();
            if (!decoder.hasPendingOutput()) {
                assertEquals(in.fin(), out.fin(), "the last slice carries the frame's fin");
                return produced;
            }
            assertFalse(out.fin(), "a slice with more to come is final");
            out = decoder.decodePending();
            first = false;
        }
    }

    /**
     * A seed for {@link #run}: the role, the limit, the header, then each frame as
     * {@code (kind, fin, rsv1, payload)}.
     */
    public static FuzzSeed seed(Role role, int maxMessageSize, String header, List<SeedFrame> frames) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        FuzzSeed seed = new FuzzSeed().bool(role == Role.SERVER).choice(maxMessageSize, 1, 0xFFFFF)
                .choice(h.length, 0, 255).bytes(h);
        for (SeedFrame f : frames) {
            seed.choice(List.of(KINDS).indexOf(f.opcode()), 0, KINDS.length - 1).bool(f.fin()).bool(f.rsv1())
                    .choice(f.payload().length, 0, 0xFFFF).bytes(f.payload());
        }
        return seed;
    }

    /**
     * Seed frames as {@code sender}'s encoder writes them: a text message in one frame, a binary one
     * in three fragments with a ping between them, then the same text again (which context takeover
     * shrinks).
     */
    public static List<SeedFrame> encoded(Extension sender) {
        String text = "{\"event\":\"price\",\"symbol\":\"WEFT\",\"bid\":101.25,\"ask\":101.5}".repeat(8);
        byte[] binary = new byte[3000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i % 251);
        }
        ExtensionEncoder encoder = sender.encoder();
        List<SeedFrame> frames = new ArrayList<>();
        frames.add(SeedFrame.of(encoder.encode(Frame.text(text)), Opcode.TEXT));
        frames.add(SeedFrame.of(encoder.encode(new Frame(false, 0, Opcode.BINARY,
                ByteBuffer.wrap(Arrays.copyOfRange(binary, 0, 1000)))), Opcode.BINARY));
        frames.add(SeedFrame.of(encoder.encode(new Frame(true, 0, Opcode.PING, ByteBuffer.wrap(new byte[] {1, 2}))),
                Opcode.PING));
        frames.add(SeedFrame.of(encoder.encode(new Frame(false, 0, Opcode.CONTINUATION,
                ByteBuffer.wrap(Arrays.copyOfRange(binary, 1000, 2000)))), Opcode.BINARY));
        frames.add(SeedFrame.of(encoder.encode(new Frame(true, 0, Opcode.CONTINUATION,
                ByteBuffer.wrap(Arrays.copyOfRange(binary, 2000, 3000)))), Opcode.BINARY));
        frames.add(SeedFrame.of(encoder.encode(Frame.text(text)), Opcode.TEXT));
        return frames;
    }

    /** One frame of a seed; a data frame's opcode is that of its message. */
    public record SeedFrame(Opcode opcode, boolean fin, boolean rsv1, byte[] payload) {

        /** The frame an extension encoded, as its peer would receive it. */
        public static SeedFrame of(Frame encoded, Opcode messageOpcode) {
            byte[] payload = new byte[encoded.payloadLength()];
            encoded.payload().get(payload);
            return new SeedFrame(encoded.opcode().isControl() ? encoded.opcode() : messageOpcode, encoded.fin(),
                    encoded.rsv1(), payload);
        }
    }
}
