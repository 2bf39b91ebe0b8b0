package dev.weft.cli;

import dev.weft.cli.command.WeftCommand;

/** The {@code weft} command's entry point: runs the command line and exits with its status. */
public final class Main {

    private Main() {
    }

    /**
     * Runs {@code weft} with these arguments.
     *
     * @param args the command line, such as {@code serve --port 0}
     */
    public static void main(String[] args) {
        Terminal terminal = Terminal.system();
        int status = WeftCommand.commandLine(terminal).execute(args);
        terminal.flush();
        System.exit(status);
    }
}
