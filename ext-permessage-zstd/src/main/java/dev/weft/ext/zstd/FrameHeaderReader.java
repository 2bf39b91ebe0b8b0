package dev.weft.ext.zstd;

import java.nio.ByteBuffer;

/**
 * Gathers the header of a Zstandard frame (RFC 8878 §3.1.1) from however many pieces it arrives in,
 * and reads the fields the receiver must check before the decoder sees them: the window size,
 * which sets how much memory decoding takes, the content size, and the dictionary ID.
 *
 * <pre>
 *  Magic_Number | Frame_Header_Descriptor | [Window_Descriptor] | [Dictionary_ID] | [Frame_Content_Size]
 *   4 bytes, LE |         1 byte          |     0-1 byte        |   0-4 bytes     |     0-8 bytes, LE
 * </pre>
 *
 * Only a standard Zstandard frame is taken: skippable frames and the legacy formats the native
 * library still decodes are refused by their magic number. Not thread-safe.
 */
final class FrameHeaderReader {

    /** "Magic_Number: 4 Bytes, little-endian format. Value: 0xFD2FB528." (RFC 8878 §3.1.1) */
    static final int MAGIC_NUMBER = 0xFD2FB528;
    /** The longest header: magic, descriptor, window descriptor, 4-byte dictionary ID, 8-byte content size. */
    static final int MAX_LENGTH = 18;
    /** What {@link #contentSize()} returns when the header does not give it. */
    static final long UNKNOWN = -1;

    private static final int DESCRIPTOR = 4;
    // Frame_Header_Descriptor bits (RFC 8878 §3.1.1.1.1)
    private static final int FHD_SINGLE_SEGMENT = 0x20;
    private static final int FHD_RESERVED = 0x08;
    private static final int FHD_DICTIONARY_ID_FLAG = 0x03;

    private final byte[] bytes = new byte[MAX_LENGTH];
    private int length;
    /** How many bytes the header takes; known once the descriptor is in. */
    private int headerLength = DESCRIPTOR + 1;

    /** Whether any byte of a header has been taken since the last {@link #reset()}. */
    boolean started() {
        return length > 0;
    }

    /**
     * Takes header bytes from {@code in}, and no byte past the header.
     *
     * @return whether the header is now complete
     * @throws IllegalArgumentException if the bytes so far cannot start a Zstandard frame
     */
    boolean take(ByteBuffer in) {
        while (length < headerLength && in.hasRemaining()) {
            bytes[length++] = in.get();
            if (length == DESCRIPTOR && magic() != MAGIC_NUMBER) {
                throw new IllegalArgumentException(String.format("not a Zstandard frame: magic number 0x%08X",
                        magic()));
            }
            if (length == DESCRIPTOR + 1) {
                headerLength = lengthFromDescriptor(bytes[DESCRIPTOR] & 0xff);
            }
        }
        return length == headerLength;
    }

    /** The complete header's bytes, to be passed on to the decoder. */
    ByteBuffer bytes() {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    /** Forgets the header, ready for the next frame. */
    void reset() {
        length = 0;
        headerLength = DESCRIPTOR + 1;
    }

    /**
     * The window size the frame needs, in bytes: "the minimum memory buffer required to decompress
     * a frame" (RFC 8878 §3.1.1.1.2). For a single-segment frame it is the content size.
     */
    long windowSize() {
        if (singleSegment()) {
            return contentSize();
        }
        // "windowLog = 10 + Exponent; windowBase = 1 << windowLog; windowAdd = (windowBase / 8) * Mantissa;
        // Window_Size = windowBase + windowAdd;" (RFC 8878 §3.1.1.1.2)
        int descriptor = bytes[DESCRIPTOR + 1] & 0xff;
        long windowBase = 1L << (10 + (descriptor >>> 3));
        return windowBase + (windowBase / 8) * (descriptor & 7);
    }

    /**
     * The decompressed size the header declares, or {@link #UNKNOWN}. A value that does not fit a
     * {@code long} is given as {@link Long#MAX_VALUE}: too large for anything either way.
     */
    long contentSize() {
        int size = contentSizeFieldSize();
        if (size == 0) {
            return UNKNOWN;
        }
        long value = littleEndian(headerLength - size, size);
        if (size == 2) {
            // "When Field_Size is 2, the offset of 256 is added." (RFC 8878 §3.1.1.1.4)
            value += 256;
        }
        return value < 0 ? Long.MAX_VALUE : value;
    }

    /** The dictionary ID, 0 when the header gives none ("a value of 0 has the same meaning as no Dictionary_ID"). */
    long dictionaryId() {
        int size = dictionaryIdFieldSize();
        return littleEndian(DESCRIPTOR + 1 + (singleSegment() ? 0 : 1), size);
    }

    private boolean singleSegment() {
        return (bytes[DESCRIPTOR] & FHD_SINGLE_SEGMENT) != 0;
    }

    private int lengthFromDescriptor(int descriptor) {
        // "Reserved_Bit: This bit is reserved for some future feature. Its value must be zero. A
        // decoder compliant with this specification version must ensure it is not set." (RFC 8878 §3.1.1.1.1.5)
        if ((descriptor & FHD_RESERVED) != 0) {
            throw new IllegalArgumentException("the reserved bit of the frame header descriptor is set");
        }
        return DESCRIPTOR + 1 + ((descriptor & FHD_SINGLE_SEGMENT) != 0 ? 0 : 1) + dictionaryIdFieldSize()
                + contentSizeFieldSize();
    }

    // "DID_Field_Size": flag 0, 1, 2, 3 -> 0, 1, 2, 4 bytes (RFC 8878 §3.1.1.1.1.6)
    private int dictionaryIdFieldSize() {
        int flag = bytes[DESCRIPTOR] & FHD_DICTIONARY_ID_FLAG;
        return flag == 3 ? 4 : flag;
    }

    // "FCS_Field_Size": flag 0, 1, 2, 3 -> 0 (1 if Single_Segment_Flag is set), 2, 4, 8 bytes (RFC 8878 §3.1.1.1.1.1)
    private int contentSizeFieldSize() {
        int flag = (bytes[DESCRIPTOR] & 0xff) >>> 6;
        return flag == 0 ? (singleSegment() ? 1 : 0) : 1 << flag;
    }

    private int magic() {
        return (int) littleEndian(0, 4);
    }

    private long littleEndian(int offset, int size) {
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value;
    }
}
