package dev.weft.api.extension;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): an extension name
 * and its parameters, in order, each with or without a value. A parameter may occur more than
 * once here, so that an extension can reject duplicates as its specification asks. Immutable.
 *
 * <p>Values are kept unquoted: a quoted value on the wire must still be a token once unquoted.
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
