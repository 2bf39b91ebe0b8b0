package dev.weft.api.handshake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The header fields of an HTTP/1.1 head, in the order they appeared, with names compared without
 * regard to case (RFC 9110 §5.1). A name may occur more than once. Immutable.
 */
public final class Headers {

    private static final Headers EMPTY = new Headers("", new int[0]);

    /**
     * Every name and value, one after another, in one string. A connection keeps its opening
     * handshake for as long as it is open, and one string (Latin-1, a byte per character) costs a
     * fraction of two strings per field.
     */
    private final String packed;
    /** Where each name and each value ends in {@link #packed}: field i's name at 2i, its value at 2i + 1. */
    private final int[] ends;

    private Headers(String packed, int[] ends) {
        this.packed = packed;
        this.ends = ends;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Headers from alternating names and values: {@code Headers.of("Origin", "https://a.example")}.
     *
     * @throws IllegalArgumentException if an odd number of strings is given
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name, value pairs");
        }
        Builder b = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    /** A builder for headers. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts with these headers. */
    public Builder toBuilder() {
        return new Builder().addAll(this);
    }

    /** The first value of {@code name}, if present. */
    public Optional<String> first(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? Optional.empty() : Optional.of(value(i));
    }

    /** Every value of {@code name}, in order; empty if absent. */
    public List<String> all(String name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return List.of();
        }
        List<String> found = new ArrayList<>(2);
        for (; i >= 0; i = indexOf(name, i + 1)) {
            found.add(value(i));
        }
        return Collections.unmodifiableList(found);
    }

    /** Whether {@code name} occurs at least once. */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** The number of header fields (a name that occurs twice counts twice). */
    public int size() {
        return ends.length / 2;
    }

    /** The name of field {@code i}, as it was spelled. */
    public String name(int i) {
        Objects.checkIndex(i, size());
        return packed.substring(start(2 * i), ends[2 * i]);
    }

    /** The value of field {@code i}. */
    public String value(int i) {
        Objects.checkIndex(i, size());
        return packed.substring(ends[2 * i], ends[2 * i + 1]);
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < size(); i++) {
            action.accept(name(i), value(i));
        }
    }

    /** The first field at or after {@code from} called {@code name}, compared without regard to case; -1 if none. */
    private int indexOf(String name, int from) {
        for (int i = from; i < size(); i++) {
            int start = start(2 * i);
            if (ends[2 * i] - start == name.length() && packed.regionMatches(true, start, name, 0, name.length())) {
                return i;
            }
        }
        return -1;
    }

    private int start(int k) {
        return k == 0 ? 0 : ends[k - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && h.packed.equals(packed) && Arrays.equals(h.ends, ends);
    }

    @Override
    public int hashCode() {
        return 31 * packed.hashCode() + Arrays.hashCode(ends);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        forEach((n, v) -> sb.append(n).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    /** Collects header fields in order. Not thread-safe. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a field.
         *
         * @throws IllegalArgumentException if the name is not an HTTP token or the value holds CR,
         *     LF or NUL (which would let a value inject further headers)
         */
        public Builder add(String name, String value) {
            checkName(name);
            checkValue(value);
            names.add(name);
            values.add(value);
            return this;
        }

        /** Removes every field called {@code name}, then adds this one. */
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        /** Removes every field called {@code name}. */
        public Builder remove(String name) {
            for (int i = names.size() - 1; i >= 0; i--) {
                if (names.get(i).equalsIgnoreCase(name)) {
                    names.remove(i);
                    values.remove(i);
                }
            }
            return this;
        }

        /** Adds every field of {@code headers}. */
        public Builder addAll(Headers headers) {
            for (int i = 0; i < headers.size(); i++) {
                names.add(headers.name(i));
                values.add(headers.value(i));
            }
            return this;
        }

        /** The headers collected so far. */
        public Headers build() {
            if (names.isEmpty()) {
                return EMPTY;
            }
            StringBuilder packed = new StringBuilder();
            int[] ends = new int[2 * names.size()];
            for (int i = 0; i < names.size(); i++) {
                ends[2 * i] = packed.append(names.get(i)).length();
                ends[2 * i + 1] = packed.append(values.get(i)).length();
            }
            return new Headers(packed.toString(), ends);
        }

        private static void checkName(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("header name is empty");
            }
            for (int i = 0; i < name.length(); i++) {
                if (!isTokenChar(name.charAt(i))) {
                    throw new IllegalArgumentException("header name is not a token: " + name);
                }
            }
        }

        private static void checkValue(String value) {
            Objects.requireNonNull(value, "header value");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                    throw new IllegalArgumentException("header value holds CR, LF, NUL or a non-Latin-1 character");
                }
            }
        }
    }

    /** Whether {@code c} is a {@code tchar} of an HTTP token (RFC 9110 §5.6.2). */
    public static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** {@code value} without the optional whitespace (SP and HTAB) HTTP allows around it (RFC 9110 §5.6.3). */
    public static String trimOws(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isOws(value.charAt(start))) {
            start++;
        }
        while (end > start && isOws(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(start, end);
    }

    /** Whether {@code c} is SP or HTAB, the only whitespace HTTP allows inside a field line. */
    public static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
