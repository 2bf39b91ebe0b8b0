package dev.weft.core.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a seed input for a fuzz target that reads a {@code FuzzedDataProvider}, whose layout is
 * libFuzzer's: each integral choice is taken from the end of the input, its most significant byte
 * first and only as many bytes as its range needs; byte runs are taken from the front. Calls are
 * made in the order the target consumes its input.
 */
public final class FuzzSeed {

    private final ByteArrayOutputStream front = new ByteArrayOutputStream();
    /** Choice bytes in the order they are consumed: the input ends with them reversed. */
    private final ByteArrayOutputStream back = new ByteArrayOutputStream();

    /**
     * A choice the target reads with {@code consumeInt(min, max)}, for {@code 0 <= min}. Jazzer reads
     * as many bytes as the range needs and takes a value that falls inside the range as it is (only
     * one outside it is wrapped), so the value is written as it is.
     */
    public FuzzSeed choice(int value, int min, int max) {
        if (min < 0 || value < min || value > max) {
            throw new IllegalArgumentException(value + " is not in [" + min + ", " + max + "]");
        }
        long range = (long) max - min;
        int bytes = 0;
        while (bytes < 4 && (range >> (8 * bytes)) > 0) {
            bytes++;
        }
        if (bytes < 4 && value >> (8 * bytes) != 0) {
            throw new IllegalArgumentException(value + " does not fit the " + bytes + " bytes [" + min + ", " + max
                    + "] is read from");
        }
        for (int i = bytes - 1; i >= 0; i--) {
            back.write((value >> (8 * i)) & 0xFF);
        }
        return this;
    }

    /** A choice the target reads with {@code consumeBoolean()}. */
    public FuzzSeed bool(boolean value) {
        back.write(value ? 1 : 0);
        return this;
    }

    /** Bytes the target reads with {@code consumeBytes} or {@code consumeRemainingAsBytes}. */
    public FuzzSeed bytes(byte[] bytes) {
        front.writeBytes(bytes);
        return this;
    }

    /** Bytes fed as {@link FuzzInput#chunks} reads them: cut into chunks of at most {@code chunk} bytes. */
    public FuzzSeed chunks(byte[] stream, int chunk) {
        for (int i = 0; i < stream.length; i += chunk) {
            int n = Math.min(chunk, stream.length - i);
            choice(n, 1, FuzzInput.MAX_CHUNK);
            front.write(stream, i, n);
        }
        return this;
    }

    /** The input: the byte runs, then the choices in reverse. */
    public byte[] toByteArray() {
        byte[] b = back.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(front.toByteArray());
        for (int i = b.length - 1; i >= 0; i--) {
            out.write(b[i]);
        }
        return out.toByteArray();
    }

    /**
     * Writes seeds where Jazzer's regression mode replays them:
     * {@code <module>/src/test/resources/<package path>/<Class>Inputs/<method>/<name>}.
     *
     * @param module the module directory
     */
    public static void write(Path module, Class<?> target, String method, Map<String, FuzzSeed> seeds) {
        Path dir = module.resolve("src/test/resources")
                .resolve(target.getPackageName().replace('.', '/'))
                .resolve(target.getSimpleName() + "Inputs")
                .resolve(method);
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, FuzzSeed> seed : seeds.entrySet()) {
                Files.write(dir.resolve(seed.getKey()), seed.getValue().toByteArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
