package dev.weft.api.extension;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): an extension name
 * and its parameters, in order, each with or without a value. A parameter may occur more than
 * once here, so that an extension can reject duplicates as its specification asks. Immutable.
 *
 * <p>Values are kept unquoted: a quoted value on the wire must still be a token once unquoted.
 *
 * <h2>Reading parameters</h2>
 * An extension factory reads an offer or a response with the checked accessors: first
 * {@link #requireOnly} (every parameter one the extension defines, none given twice), then
 * {@link #flag} for a parameter without a value and {@link #integer} for a decimal value in a
 * range. Each throws {@link IllegalArgumentException} naming the fault, which a server turns into
 * declining the offer and a client into failing the handshake, as RFC 7692 §7.1 asks of
 * permessage-deflate:
 *
 * <pre>{@code
 * offer.requireOnly("server_no_context_takeover", "server_max_window_bits");
 * boolean noContextTakeover = offer.flag("server_no_context_takeover");
 * OptionalInt windowBits = offer.integer("server_max_window_bits", 8, 15);
 * }</pre>
 */
public final class ExtensionParameters {

    /**
     * One extension parameter.
     *
     * @param name the parameter name, a token
     * @param value the value, a token, or {@code null} for a parameter without a value ("the value
     *     after quoted-string unescaping MUST conform to the 'token' ABNF", RFC 6455 §9.1)
     */
    public record Parameter(String name, String value) {
        public Parameter {
            requireToken(name, "parameter name");
            if (value != null) {
                requireToken(value, "value of parameter " + name);
            }
        }
    }

    private final String name;
    private final List<Parameter> parameters;

    private ExtensionParameters(String name, List<Parameter> parameters) {
        this.name = requireToken(name, "extension name");
        this.parameters = List.copyOf(parameters);
    }

    /** An extension element with no parameters. */
    public static ExtensionParameters of(String name) {
        return new ExtensionParameters(name, List.of());
    }

    /** An extension element with these parameters, in order. */
    public static ExtensionParameters of(String name, List<Parameter> parameters) {
        return new ExtensionParameters(name, parameters);
    }

    /** This element with one more parameter without a value. */
    public ExtensionParameters with(String parameter) {
        return with(parameter, null);
    }

    /** This element with one more parameter; {@code value == null} means no value. */
    public ExtensionParameters with(String parameter, String value) {
        List<Parameter> more = new ArrayList<>(parameters);
        more.add(new Parameter(parameter, value));
        return new ExtensionParameters(name, more);
    }

    /** The extension name. */
    public String name() {
        return name;
    }

    /** The parameters in order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Whether parameter {@code name} is present (with or without a value). */
    public boolean has(String name) {
        return count(name) > 0;
    }

    /** How many times parameter {@code name} occurs. */
    public int count(String name) {
        int n = 0;
        for (Parameter p : parameters) {
            if (p.name().equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /** The value of the first parameter called {@code name}; empty if absent or without a value. */
    public Optional<String> value(String name) {
        for (Parameter p : parameters) {
            if (p.name().equalsIgnoreCase(name)) {
                return Optional.ofNullable(p.value());
            }
        }
        return Optional.empty();
    }

    /**
     * Checks that every parameter is one of {@code names} (compared ignoring case) and that none
     * occurs more than once: "an extension parameter not defined for use in an offer" and "multiple
     * extension parameters with the same name" are faults of every extension RFC 7692 defines.
     *
     * @return this element
     * @throws IllegalArgumentException naming the first parameter that is unknown or repeated
     */
    public ExtensionParameters requireOnly(String... names) {
        for (Parameter p : parameters) {
            if (count(p.name()) > 1) {
                throw new IllegalArgumentException("parameter " + p.name() + " is given more than once");
            }
            if (!isOneOf(p.name(), names)) {
                throw new IllegalArgumentException("parameter " + p.name() + " is not defined for " + this.name);
            }
        }
        return this;
    }

    /**
     * Whether parameter {@code name}, one that takes no value, is present.
     *
     * @throws IllegalArgumentException if it is present with a value
     */
    public boolean flag(String name) {
        Optional<String> value = value(name);
        if (value.isPresent()) {
            throw new IllegalArgumentException("parameter " + name + " takes no value: " + value.get());
        }
        return has(name);
    }

    /**
     * The value of parameter {@code name} as a decimal integer without leading zeroes from
     * {@code min} to {@code max} inclusive, the form RFC 7692 gives its window sizes; empty if the
     * parameter is absent. A parameter that may also appear without a value is told apart with
     * {@link #has} and {@link #value} first.
     *
     * @throws IllegalArgumentException if it is present without a value, or with one that is not
     *     such an integer
     */
    public OptionalInt integer(String name, int min, int max) {
        if (!has(name)) {
            return OptionalInt.empty();
        }
        String v = value(name).orElseThrow(() -> new IllegalArgumentException("parameter " + name
                + " needs a value from " + min + " to " + max));
        long n = decimal(v);
        if (n < min || n > max) {
            throw new IllegalArgumentException("parameter " + name + " must be a number from " + min + " to " + max
                    + " without leading zeroes: " + v);
        }
        return OptionalInt.of((int) n);
    }

    /** {@code v} as a decimal without leading zeroes, or -1 if it is not one or is too long to matter. */
    private static long decimal(String v) {
        if (v.length() > 10 || (v.length() > 1 && v.charAt(0) == '0')) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean isOneOf(String name, String[] names) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The header form of this element: {@code permessage-deflate; client_max_window_bits=10}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name);
        for (Parameter p : parameters) {
            sb.append("; ").append(p.name());
            if (p.value() != null) {
                sb.append('=').append(p.value());
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtensionParameters e && e.name.equals(name) && e.parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, parameters);
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!dev.weft.api.handshake.Headers.isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String requireToken(String s, String what) {
        if (s == null || !isToken(s)) {
            throw new IllegalArgumentException(what + " is not a token: " + s);
        }
        return s;
    }
}
