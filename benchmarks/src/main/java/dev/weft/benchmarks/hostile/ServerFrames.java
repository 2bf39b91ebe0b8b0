package dev.weft.benchmarks.hostile;

/**
 * Reads the frames a server sends to an attacker, fed in whatever pieces the socket gives, and keeps
 * only what the report needs: data frames and pongs counted, and the close code. Payloads are
 * skipped without being stored, so a server that sends a lot costs this reader nothing. It checks no
 * protocol rule: the server is the one under test. Not thread-safe.
 */
final class ServerFrames {

    /** No close frame yet. */
    static final int OPEN = -1;

    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PONG = 0xA;

    /** Two fixed bytes, up to 8 of extended length and 4 of masking key. */
    private final byte[] header = new byte[14];
    private int headerHave;
    private int headerNeed = 2;
    private int opcode;
    private long payloadLeft;
    private boolean inPayload;
    private final byte[] closeCode = new byte[2];
    private int closeCodeHave;
    private int closed = OPEN;
    private long dataFrames;
    private long pongs;

    /** Reads {@code bytes[from, to)}; stops at the close frame (what follows it is ignored). */
    void feed(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && closed == OPEN) {
            if (inPayload) {
                int n = (int) Math.min(payloadLeft, to - i);
                for (int k = 0; k < n && opcode == OPCODE_CLOSE && closeCodeHave < 2; k++) {
                    closeCode[closeCodeHave++] = bytes[i + k];
                }
                i += n;
                payloadLeft -= n;
                if (payloadLeft == 0) {
                    frameEnded();
                }
            } else {
                header[headerHave++] = bytes[i++];
                if (headerHave == 2) {
                    int length7 = header[1] & 0x7f;
                    int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
                    headerNeed = 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
                }
                if (headerHave == headerNeed) {
                    startPayload();
                }
            }
        }
    }

    /** The close frame's code ({@code 1005} if it had none), or {@link #OPEN}. */
    int closeCode() {
        return closed;
    }

    /** Text and binary frames that started a message. */
    long dataFrames() {
        return dataFrames;
    }

    /** Pong frames. */
    long pongs() {
        return pongs;
    }

    private void startPayload() {
        opcode = header[0] & 0x0f;
        int length7 = header[1] & 0x7f;
        long length = length7;
        if (length7 == 126) {
            length = (header[2] & 0xffL) << 8 | header[3] & 0xffL;
        } else if (length7 == 127) {
            length = 0;
            for (int k = 2; k < 10; k++) {
                length = length << 8 | header[k] & 0xffL;
            }
        }
        headerHave = 0;
        headerNeed = 2;
        payloadLeft = length;
        inPayload = true;
        if (length == 0) {
            frameEnded();
        }
    }

    private void frameEnded() {
        inPayload = false;
        switch (opcode) {
            case OPCODE_TEXT, OPCODE_BINARY -> dataFrames++;
            case OPCODE_PONG -> pongs++;
            case OPCODE_CLOSE -> closed = closeCodeHave == 2
                    ? (closeCode[0] & 0xff) << 8 | closeCode[1] & 0xff
                    : Integer.parseInt(ConnectionEnded.NO_CODE);
            default -> {
                // Continuations and pings: nothing the report counts.
            }
        }
    }
}
