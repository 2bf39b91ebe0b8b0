package dev.weft.core.frame;

import java.security.SecureRandom;

/**
 * Where a client's masking keys come from. RFC 6455 §5.3 asks for keys an intermediary cannot
 * predict, "derived from a strong source of entropy", so the default draws from
 * {@link SecureRandom}. Tests pass a fixed source to get byte-exact output.
 */
@FunctionalInterface
public interface MaskKeySource {

    /** The next 32-bit masking key, big-endian as it goes on the wire. */
    int nextKey();

    /**
     * A source backed by {@link SecureRandom}, refilled 64 keys at a time so the cost of the secure
     * generator is paid once per 64 frames. Not thread-safe: make one per connection.
     */
    static MaskKeySource secure() {
        return new MaskKeySource() {
            private final SecureRandom random = new SecureRandom();
            private final byte[] pool = new byte[256];
            private int next = pool.length;

            @Override
            public int nextKey() {
                if (next == pool.length) {
                    random.nextBytes(pool);
                    next = 0;
                }
                int key = (pool[next] & 0xFF) << 24 | (pool[next + 1] & 0xFF) << 16
                        | (pool[next + 2] & 0xFF) << 8 | (pool[next + 3] & 0xFF);
                next += 4;
                return key;
            }
        };
    }
}
