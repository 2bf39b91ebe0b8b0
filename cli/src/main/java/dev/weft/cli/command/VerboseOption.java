package dev.weft.cli.command;

import picocli.CommandLine.Option;

/** The {@code --verbose} option, mixed into each command. */
final class VerboseOption {

    static final String NAME = "--verbose";

    @Option(names = {"-v", NAME}, description = "Log Weft's DEBUG lines too (as --log-level debug) and print stack traces of failures.")
    boolean verbose;
}
