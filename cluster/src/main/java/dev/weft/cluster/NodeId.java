package dev.weft.cluster;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Names a node (one server process) in a cluster. It appears in every envelope the node publishes,
 * so that the node can ignore its own messages and others can track its sequence numbers, and in
 * every connection id it hands out. Two nodes must never share one: the default is random.
 */
public final class NodeId {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeId() {
    }

    /** A fresh random id: ten characters of a 32-letter alphabet (50 bits). */
    public static String random() {
        char[] id = new char[10];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }

    /** Whether {@code id} may name a node: 1 to 64 of {@code A-Z a-z 0-9 . _ -}. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** @return {@code id} @throws IllegalArgumentException unless {@link #isValid} */
    static String check(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("not a node id (1 to 64 of A-Z a-z 0-9 . _ -): " + id);
        }
        return id;
    }
}
