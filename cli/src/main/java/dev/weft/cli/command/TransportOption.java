package dev.weft.cli.command;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * The {@code --transport} option, mixed into the commands that run on either of Weft's transports:
 * {@code nio} (selector event loops, the default) or {@code blocking} (a thread per connection).
 * Handlers are the same on both; what differs is the server or client that drives them.
 */
final class TransportOption {

    /** Weft's transports, named on the command line in lower case. */
    enum Kind {
        NIO, BLOCKING;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--transport", paramLabel = "nio|blocking", defaultValue = "nio", converter = Named.class,
            description = "Which transport: nio, with event loops, or blocking, with a thread per "
                    + "connection, virtual on Java 21+ (default: ${DEFAULT-VALUE}).")
    Kind kind;

    /** Whether the blocking transport was asked for. */
    boolean blocking() {
        return kind == Kind.BLOCKING;
    }

    /** {@code nio} or {@code blocking}, as typed, into a {@link Kind}. */
    static final class Named implements ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            for (Kind kind : Kind.values()) {
                if (kind.toString().equals(value)) {
                    return kind;
                }
            }
            throw new TypeConversionException("expected nio or blocking, not '" + value + "'");
        }
    }
}
