package dev.weft.cli.command;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line itself: help, version, usage errors, and a server that cannot start. */
class WeftCommandTest {

    @Test
    void helpListsTheCommands() throws Exception {
        CliRun help = CliRun.run("--help");

        assertEquals(0, help.exitCode());
        String text = help.out.text();
        assertTrue(text.startsWith("Usage: weft "), text);
        for (String command : List.of("serve", "connect", "bench", "testee-client", "help")) {
            assertTrue(text.contains("\n  " + command + " "), command + " in\n" + text);
        }
    }

    @Test
    void eachCommandHasHelp() throws Exception {
        for (String command : List.of("serve", "connect", "bench", "testee-client")) {
            CliRun help = CliRun.run(command, "--help");
            assertEquals(0, help.exitCode(), command);
            assertTrue(help.out.text().contains("Usage: weft " + command), help.out.text());
            assertTrue(help.out.text().contains("Example"), help.out.text());
        }
    }

    @Test
    void anExtensionThatIsNotInstalledIsRefused() throws Exception {
        CliRun connect = CliRun.run("connect", "ws://127.0.0.1:1/echo", "--extensions", "x-not-installed");
        assertEquals(2, connect.exitCode());
        assertTrue(connect.err.text().contains("no installed extension is called 'x-not-installed'"), connect.err.text());
        CliRun serve = CliRun.run("serve", "--port", "0", "--extensions", "x-not-installed");
        assertEquals(2, serve.exitCode());
        assertTrue(serve.err.text().contains("no installed extension is called 'x-not-installed'"), serve.err.text());
    }

    @Test
    void versionComesFromTheBuild() throws Exception {
        CliRun version = CliRun.run("--version");

        assertEquals(0, version.exitCode());
        assertEquals("weft 0.1.0-SNAPSHOT", version.out.lines().get(0));
        assertEquals("0.1.0-SNAPSHOT", WeftCommand.Version.number());
    }

    @Test
    void noCommandIsAUsageError() throws Exception {
        CliRun none = CliRun.run();

        assertEquals(2, none.exitCode());
        assertTrue(none.err.text().startsWith("Missing a command"), none.err.text());
    }

    @Test
    void unknownOptionIsAUsageError() throws Exception {
        CliRun serve = CliRun.run("serve", "--no-such-option");

        assertEquals(2, serve.exitCode());
        assertTrue(serve.err.text().contains("Unknown option: '--no-such-option'"), serve.err.text());
    }

    @Test
    void outOfRangeValuesAreUsageErrors() throws Exception {
        assertUsageError("--port must be between 0 and 65535: 70000", "serve", "--port", "70000");
        assertUsageError("--max-message-size must be at least 125: 100", "serve", "--max-message-size", "100");
        assertUsageError("--threads must be at least 1: 0", "serve", "--threads", "0");
        assertUsageError("--idle-timeout must not be negative: -1", "serve", "--idle-timeout", "-1");
    }

    @Test
    void aPortInUseIsReportedOnOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliRun serve = CliRun.run("serve", "--port", Integer.toString(taken.getLocalPort()));

            assertEquals(2, serve.exitCode());
            assertEquals(List.of("weft: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use"),
                    serve.err.lines());
            assertEquals("", serve.out.text());
        }
    }

    @Test
    void roomsComeFromThePath() {
        assertEquals("lobby", ChatHandler.roomOf("/chat"));
        assertEquals("lobby", ChatHandler.roomOf("/chat/"));
        assertEquals("room1", ChatHandler.roomOf("/chat/room1"));
        assertEquals("a/b", ChatHandler.roomOf("/chat/a/b"));
    }

    private static void assertUsageError(String message, String... args) throws Exception {
        CliRun run = CliRun.run(args);
        assertEquals(2, run.exitCode(), String.join(" ", args));
        assertTrue(run.err.text().startsWith(message), run.err.text());
    }
}
