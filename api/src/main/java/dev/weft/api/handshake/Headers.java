package dev.weft.api.handshake;

import java.util.ArrayList;
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

    private static final Headers EMPTY = new Headers(List.of(), List.of());

    private final List<String> names;
    private final List<String> values;

    private Headers(List<String> names, List<String> values) {
        this.names = names;
        this.values = values;
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
        Builder b = new Builder();
        b.names.addAll(names);
        b.values.addAll(values);
        return b;
    }

    /** The first value of {@code name}, if present. */
    public Optional<String> first(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return Optional.of(values.get(i));
            }
        }
        return Optional.empty();
    }

    /** Every value of {@code name}, in order; empty if absent. */
    public List<String> all(String name) {
        List<String> found = null;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                if (found == null) {
                    found = new ArrayList<>(2);
                }
                found.add(values.get(i));
            }
        }
        return found == null ? List.of() : Collections.unmodifiableList(found);
    }

    /** Whether {@code name} occurs at least once. */
    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /** The number of header fields (a name that occurs twice counts twice). */
    public int size() {
        return names.size();
    }

    /** The name of field {@code i}, as it was spelled. */
    public String name(int i) {
        return names.get(i);
    }

    /** The value of field {@code i}. */
    public String value(int i) {
        return values.get(i);
    }

    /** Calls {@code action} with each name and value, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < names.size(); i++) {
            action.accept(names.get(i), values.get(i));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && h.names.equals(names) && h.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, values);
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
            names.addAll(headers.names);
            values.addAll(headers.values);
            return this;
        }

        /** The headers collected so far. */
        public Headers build() {
            return names.isEmpty() ? EMPTY : new Headers(List.copyOf(names), List.copyOf(values));
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
