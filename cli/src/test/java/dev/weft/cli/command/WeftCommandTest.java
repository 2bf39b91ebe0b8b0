package dev.weft.cli.command;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertUsageError("weft", "missing a command: serve, connect, bench or testee-client");
    }

    @Test
    void anUnknownOptionIsOneLineAndAPointerToHelpForEveryCommand() throws Exception {
        for (String command : List.of("serve", "connect", "bench", "testee-client")) {
            CliRun run = CliRun.run(command, "--no-such-option", "ws://127.0.0.1:1/echo");
            assertEquals(2, run.exitCode(), command);
            assertEquals(List.of("weft: unknown option: '--no-such-option'", "Try 'weft " + command + " --help'."),
                    run.err.lines(), command);
            assertEquals("", run.out.text(), command);
        }
    }

    @Test
    void anUnexpectedArgumentIsNamed() throws Exception {
        assertUsageError("weft serve", "unexpected argument: 'extra'", "serve", "extra");
    }

    @Test
    void outOfRangeValuesAreUsageErrors() throws Exception {
        assertUsageError("weft serve", "--port must be between 0 and 65535: 70000", "serve", "--port", "70000");
        assertUsageError("weft serve", "--port must be between 0 and 65535: 99999", "serve", "--port", "99999");
        assertUsageError("weft serve", "--max-message-size must be at least 125: 100", "serve", "--max-message-size", "100");
        assertUsageError("weft serve", "--threads must be at least 1: 0", "serve", "--threads", "0");
        assertUsageError("weft serve", "--idle-timeout must not be negative: -1", "serve", "--idle-timeout", "-1");
        assertUsageError("weft serve", "invalid value for option '--port': 'abc' is not an int", "serve", "--port", "abc");
    }

    @Test
    void logOptionsAreCheckedOnEveryCommand() throws Exception {
        for (String command : List.of("serve", "connect", "bench", "testee-client")) {
            assertUsageError("weft " + command, "invalid value for option '--log-level': 'loud' is not one of "
                    + "error, warn, info, debug, trace", command, "--log-level", "loud", "ws://127.0.0.1:1/echo");
        }
        assertUsageError("weft serve", "--quiet and --verbose do not go together", "serve", "-q", "-v", "--port", "0");
    }

    @Test
    void anInvalidUrlIsRefusedInWords() throws Exception {
        CliRun run = CliRun.run("bench", "ws://a b/echo");
        assertEquals(2, run.exitCode());
        assertEquals(List.of("weft: invalid value for positional parameter at index 0 (URL): not a valid URL: "
                + "'ws://a b/echo' (illegal character in authority at index 5)", "Try 'weft bench --help'."), run.err.lines());
    }

    @Test
    void aPortOutOfRangeInAUrlIsRefusedInWords() throws Exception {
        CliRun run = CliRun.run("bench", "ws://127.0.0.1:99999/echo", "-d", "1");
        assertEquals(2, run.exitCode());
        assertTrue(run.err.text().contains("port 99999 is out of range (0 to 65535)"), run.err.text());
        assertFalse(run.err.text().contains("Exception"), run.err.text());
    }

    @Test
    void aPortInUseIsReportedOnOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliRun serve = CliRun.run("serve", "--port", Integer.toString(taken.getLocalPort()));

            assertEquals(2, serve.exitCode());
            assertEquals(List.of("weft: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the address is in use "
                            + "(is another server running there? --port 0 picks a free port)"),
                    serve.err.lines());
            assertEquals("", serve.out.text());
        }
    }

    @Test
    void aHostThatDoesNotResolveIsReportedOnOneLine() throws Exception {
        CliRun serve = CliRun.run("serve", "--host", "no-such-host.invalid", "--port", "0");

        assertEquals(2, serve.exitCode());
        assertEquals(List.of("weft: cannot listen on no-such-host.invalid:0: unknown host no-such-host.invalid"),
                serve.err.lines());
    }

    @Test
    void aMissingKeyStoreIsReportedOnOneLine() throws Exception {
        CliRun serve = CliRun.run("serve", "--port", "0", "--tls-keystore", "/no/such/keystore.p12", "--tls-password", "x");

        assertEquals(2, serve.exitCode());
        assertEquals(List.of("weft: cannot set up TLS: no such file: /no/such/keystore.p12"), serve.err.lines());
    }

    @Test
    void roomsComeFromThePath() {
        assertEquals("lobby", ChatHandler.roomOf("/chat"));
        assertEquals("lobby", ChatHandler.roomOf("/chat/"));
        assertEquals("room1", ChatHandler.roomOf("/chat/room1"));
        assertEquals("a/b", ChatHandler.roomOf("/chat/a/b"));
    }

    /** {@code weft: MESSAGE} and {@code Try 'COMMAND --help'.}, and nothing else: no usage dump. */
    private static void assertUsageError(String command, String message, String... args) throws Exception {
        CliRun run = CliRun.run(args);
        assertEquals(2, run.exitCode(), String.join(" ", args));
        assertEquals(List.of("weft: " + message, "Try '" + command + " --help'."), run.err.lines());
        assertEquals("", run.out.text());
    }
}
