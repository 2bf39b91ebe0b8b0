package dev.weft.core.message;

import dev.weft.api.Opcode;
import dev.weft.core.frame.ProtocolViolation;
import dev.weft.core.frame.ProtocolViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Joining data frames into messages (RFC 6455 §5.4), with UTF-8 (§8.1) and size checks. */
class MessageAssemblerTest {

    private static final byte[] EURO = {(byte) 0xE2, (byte) 0x82, (byte) 0xAC};

    /** Everything an assembler handed on, as strings: "text:…", "binary:…", "textPart:…:last". */
    private final List<String> events = new ArrayList<>();
    private final List<ByteBuffer> binaries = new ArrayList<>();

    private final MessageAssembler.Sink sink = new MessageAssembler.Sink() {
        @Override
        public void onText(String text) {
            events.add("text:" + text);
        }

        @Override
        public void onUtf8Text(ByteBuffer utf8) {
            binaries.add(utf8);
            events.add("utf8:" + StandardCharsets.UTF_8.decode(utf8.duplicate()));
        }

        @Override
        public void onBinary(ByteBuffer data) {
            binaries.add(data);
            events.add("binary:" + latin1(data));
        }

        @Override
        public void onTextPart(String part, boolean last) {
            events.add("textPart:" + part + ":" + last);
        }

        @Override
        public void onBinaryPart(ByteBuffer part, boolean last) {
            binaries.add(part);
            events.add("binaryPart:" + latin1(part) + ":" + last);
        }
    };

    private static String latin1(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.duplicate().get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private MessageAssembler whole(int maxMessageSize) {
        return new MessageAssembler(maxMessageSize, false, false, sink);
    }

    private MessageAssembler partial(int maxMessageSize) {
        return new MessageAssembler(maxMessageSize, true, false, sink);
    }

    /** One frame whose payload arrives as the given chunks. */
    private static void frame(MessageAssembler a, Opcode opcode, boolean fin, byte[]... chunks) {
        long length = 0;
        for (byte[] c : chunks) {
            length += c.length;
        }
        a.beginFrame(opcode, fin, length);
        for (byte[] c : chunks) {
            a.append(ByteBuffer.wrap(c));
        }
        a.endFrame();
    }

    private static ProtocolViolation violation(Executable step) {
        return assertThrows(ProtocolViolationException.class, step).violation();
    }

    // ---------------------------------------------------------------- whole mode

    @Test
    void deliversASingleFrameTextMessage() {
        frame(whole(100), Opcode.TEXT, true, utf8("Hello"));

        assertEquals(List.of("text:Hello"), events);
    }

    @Test
    void deliversAnEmptyMessage() {
        MessageAssembler a = whole(100);
        frame(a, Opcode.TEXT, true);
        frame(a, Opcode.BINARY, true);

        assertEquals(List.of("text:", "binary:"), events);
    }

    @Test
    void joinsFragmentsAndChunksIntoOneMessage() {
        MessageAssembler a = whole(100);
        frame(a, Opcode.TEXT, false, utf8("Hel"), utf8("l"));
        frame(a, Opcode.CONTINUATION, false);
        frame(a, Opcode.CONTINUATION, true, utf8("o"), utf8(" world"));

        assertEquals(List.of("text:Hello world"), events);
    }

    @Test
    void aBinaryMessageIsACopyTheReceiverOwns() {
        MessageAssembler a = whole(100);
        byte[] payload = {1, 2, 3};
        frame(a, Opcode.BINARY, true, payload);
        payload[0] = 9;
        frame(a, Opcode.BINARY, false, new byte[] {4});
        frame(a, Opcode.CONTINUATION, true, new byte[] {5});
        frame(a, Opcode.BINARY, false, new byte[] {6});
        frame(a, Opcode.CONTINUATION, true, new byte[] {7});

        assertEquals(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4, 5}),
                ByteBuffer.wrap(new byte[] {6, 7})), binaries, "the reused gathering buffer is not handed out");
    }

    @Test
    void textAsUtf8IsTheValidatedBytesInACopyTheReceiverOwns() {
        MessageAssembler a = new MessageAssembler(100, false, true, sink);
        byte[] euro = utf8("€ 5");
        frame(a, Opcode.TEXT, true, euro);
        euro[0] = 'X';
        frame(a, Opcode.TEXT, false, utf8("na"), new byte[] {(byte) 0xC3});
        frame(a, Opcode.CONTINUATION, true, new byte[] {(byte) 0xAF}, utf8("ve"));

        assertEquals(List.of("utf8:€ 5", "utf8:naïve"), events);
        assertEquals(ByteBuffer.wrap(utf8("€ 5")), binaries.get(0), "a copy, not the input's bytes");
        assertEquals(ProtocolViolation.INVALID_UTF8,
                violation(() -> frame(a, Opcode.TEXT, true, new byte[] {'a', (byte) 0xC0, (byte) 0x80})),
                "validated before it is handed on");
        assertEquals(2, events.size());
    }

    @Test
    void aContinuationNeedsAMessageToContinue() {
        MessageAssembler a = whole(100);

        assertEquals(ProtocolViolation.CONTINUATION_WITHOUT_START,
                violation(() -> a.beginFrame(Opcode.CONTINUATION, true, 0)));
        frame(a, Opcode.TEXT, true, utf8("done"));
        assertEquals(ProtocolViolation.CONTINUATION_WITHOUT_START,
                violation(() -> a.beginFrame(Opcode.CONTINUATION, true, 0)), "a finished message cannot be continued");
    }

    @Test
    void aNewMessageCannotStartInsideAFragmentedOne() {
        MessageAssembler a = whole(100);
        frame(a, Opcode.TEXT, false, utf8("a"));

        assertEquals(ProtocolViolation.DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE,
                violation(() -> a.beginFrame(Opcode.BINARY, true, 0)));
        assertEquals(ProtocolViolation.DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE,
                violation(() -> a.beginFrame(Opcode.TEXT, true, 0)));
    }

    @Test
    void checkStartChecksWithoutChangingAnything() {
        MessageAssembler a = whole(100);
        a.checkStart(Opcode.TEXT);

        assertEquals(ProtocolViolation.CONTINUATION_WITHOUT_START, violation(() -> a.checkStart(Opcode.CONTINUATION)));
        frame(a, Opcode.TEXT, false, utf8("a"));
        assertEquals(ProtocolViolation.DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE, violation(() -> a.checkStart(Opcode.TEXT)));
        a.checkStart(Opcode.CONTINUATION);
        frame(a, Opcode.CONTINUATION, true, utf8("b"));
        assertEquals(List.of("text:ab"), events);
    }

    @Test
    void aCodePointMaySpanFragments() {
        MessageAssembler a = whole(100);
        frame(a, Opcode.TEXT, false, new byte[] {EURO[0]});
        frame(a, Opcode.CONTINUATION, false, new byte[] {EURO[1]});
        frame(a, Opcode.CONTINUATION, true, new byte[] {EURO[2]}, utf8("!"));

        assertEquals(List.of("text:€!"), events);
    }

    @Test
    void invalidUtf8FailsOnTheChunkThatHoldsIt() {
        MessageAssembler a = whole(100);
        a.beginFrame(Opcode.TEXT, false, 4);
        a.append(ByteBuffer.wrap(utf8("ok")));

        assertEquals(ProtocolViolation.INVALID_UTF8, violation(() -> a.append(ByteBuffer.wrap(new byte[] {(byte) 0xC0, (byte) 0xAF}))),
                "fails fast, before the frame or the message ends");
        assertTrue(events.isEmpty());
    }

    @Test
    void aTextMessageCannotEndInsideACodePoint() {
        MessageAssembler ended = whole(100);
        assertEquals(ProtocolViolation.INVALID_UTF8,
                violation(() -> frame(ended, Opcode.TEXT, true, new byte[] {EURO[0], EURO[1]})));

        MessageAssembler endedEmpty = whole(100);
        frame(endedEmpty, Opcode.TEXT, false, new byte[] {EURO[0], EURO[1]});
        assertEquals(ProtocolViolation.INVALID_UTF8, violation(() -> frame(endedEmpty, Opcode.CONTINUATION, true)),
                "an empty final fragment still ends the message");
    }

    @Test
    void binaryIsNotValidated() {
        frame(whole(100), Opcode.BINARY, true, new byte[] {(byte) 0xC0, (byte) 0xFF});

        assertEquals(List.of("binary:\u00C0\u00FF"), events);
    }

    @Test
    void aMessageUpToTheLimitIsDelivered() {
        MessageAssembler a = whole(10);
        frame(a, Opcode.TEXT, false, utf8("12345"));
        frame(a, Opcode.CONTINUATION, true, utf8("67890"));

        assertEquals(List.of("text:1234567890"), events);
    }

    @Test
    void aMessageOverTheLimitFailsOnTheDeclaredLengthBeforeItsPayload() {
        MessageAssembler single = whole(10);
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG, violation(() -> single.beginFrame(Opcode.BINARY, true, 11)));

        MessageAssembler fragmented = whole(10);
        frame(fragmented, Opcode.BINARY, false, new byte[6]);
        assertEquals(ProtocolViolation.MESSAGE_TOO_BIG,
                violation(() -> fragmented.beginFrame(Opcode.CONTINUATION, true, 5)), "the limit is on the message, not the frame");
    }

    @Test
    void theLimitCountsEachMessageAfresh() {
        MessageAssembler a = whole(10);
        frame(a, Opcode.TEXT, true, utf8("1234567890"));
        frame(a, Opcode.TEXT, true, utf8("abcdefghij"));

        assertEquals(List.of("text:1234567890", "text:abcdefghij"), events);
    }

    // ---------------------------------------------------------------- partial mode

    @Test
    void partialModeHandsOnEachChunkAsItArrives() {
        MessageAssembler a = partial(100);
        frame(a, Opcode.BINARY, false, utf8("ab"), utf8("c"));
        frame(a, Opcode.CONTINUATION, true, utf8("d"));

        assertEquals(List.of("binaryPart:ab:false", "binaryPart:c:false", "binaryPart:d:true"), events);
    }

    @Test
    void partialTextIsCutAfterTheLastWholeCodePoint() {
        MessageAssembler a = partial(100);
        frame(a, Opcode.TEXT, false, concat(utf8("a"), new byte[] {EURO[0], EURO[1]}));
        frame(a, Opcode.CONTINUATION, false, new byte[] {EURO[2]}, utf8("b"));
        frame(a, Opcode.CONTINUATION, true, utf8("c"));

        assertEquals(List.of("textPart:a:false", "textPart:€:false", "textPart:b:false", "textPart:c:true"), events);
    }

    @Test
    void partialTextHoldsAChunkWithNoWholeCodePoint() {
        MessageAssembler a = partial(100);
        frame(a, Opcode.TEXT, false, new byte[] {EURO[0]}, new byte[] {EURO[1]});
        frame(a, Opcode.CONTINUATION, true, new byte[] {EURO[2]});

        assertEquals(List.of("textPart:€:true"), events);
    }

    @Test
    void partialModeEndsAMessageWithAnEmptyFinalFragment() {
        MessageAssembler a = partial(100);
        frame(a, Opcode.TEXT, false, utf8("x"));
        frame(a, Opcode.CONTINUATION, true);

        assertEquals(List.of("textPart:x:false", "textPart::true"), events);
    }

    @Test
    void partialModeStillValidatesUtf8() {
        MessageAssembler a = partial(100);

        assertEquals(ProtocolViolation.INVALID_UTF8,
                violation(() -> frame(a, Opcode.TEXT, false, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})),
                "a surrogate is not UTF-8");
    }

    @Test
    void partialModeHasNoMessageSizeLimit() {
        MessageAssembler a = partial(4);
        frame(a, Opcode.BINARY, false, new byte[4]);
        frame(a, Opcode.CONTINUATION, true, new byte[4]);

        assertEquals(2, events.size());
    }

    @Test
    void partialModeKeepsTheFragmentationRules() {
        MessageAssembler a = partial(100);
        assertEquals(ProtocolViolation.CONTINUATION_WITHOUT_START,
                violation(() -> a.beginFrame(Opcode.CONTINUATION, true, 0)));
        frame(a, Opcode.BINARY, false, new byte[1]);
        assertEquals(ProtocolViolation.DATA_FRAME_INSIDE_FRAGMENTED_MESSAGE,
                violation(() -> a.beginFrame(Opcode.TEXT, true, 0)));
    }

    // ---------------------------------------------------------------- memory

    @Test
    void aSingleChunkMessageHoldsNothing() {
        MessageAssembler a = whole(1 << 20);
        frame(a, Opcode.BINARY, true, new byte[1000]);

        assertEquals(0, a.heldBytes());
    }

    @Test
    void theGatheringBufferGrowsWithWhatArrivedNotWhatWasDeclared() {
        MessageAssembler a = whole(1 << 20);
        a.beginFrame(Opcode.BINARY, true, 1 << 20);
        a.append(ByteBuffer.wrap(new byte[10]));

        assertTrue(a.heldBytes() < 1024, "held " + a.heldBytes() + " for 10 bytes of a declared 1 MiB");
    }

    @Test
    void aSmallGatheringBufferIsKeptALargeOneLetGo() {
        MessageAssembler a = whole(1 << 20);
        frame(a, Opcode.BINARY, false, new byte[1000]);
        frame(a, Opcode.CONTINUATION, true, new byte[1000]);
        long kept = a.heldBytes();
        frame(a, Opcode.BINARY, false, new byte[40_000]);
        frame(a, Opcode.CONTINUATION, true, new byte[40_000]);

        assertTrue(kept >= 2000, "kept " + kept);
        assertEquals(0, a.heldBytes(), "an 80 KB buffer is let go after its message");
    }

    @Test
    void releaseLetsGoOfTheBufferAndTheMessageInProgress() {
        MessageAssembler a = whole(1 << 20);
        frame(a, Opcode.TEXT, false, utf8("held"));

        a.release();

        assertEquals(0, a.heldBytes());
        assertEquals(ProtocolViolation.CONTINUATION_WITHOUT_START,
                violation(() -> a.beginFrame(Opcode.CONTINUATION, true, 0)));
        assertTrue(events.isEmpty());
    }
}
