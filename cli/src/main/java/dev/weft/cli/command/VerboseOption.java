package dev.weft.cli.command;

import picocli.CommandLine.Option;

/** The {@code --verbose} option, mixed into each command. */
final class VerboseOption {

    static final String NAME = "--verbose";

    @Option(names = {"-v", NAME}, description = "Log at DEBUG level and print stack traces of failures.")
    boolean verbose;
}
