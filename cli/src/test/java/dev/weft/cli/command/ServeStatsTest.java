package dev.weft.cli.command;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft serve --stats-interval}: the counters a soak script reads while the server runs. */
class ServeStatsTest {

    @Test
    void theCountersArePrintedOnStandardErrorWhileStandardOutputKeepsOnlyTheAddress() throws Exception {
        CliRun serve = CliRun.start("", "serve", "--port", "0", "--threads", "1", "--stats-interval", "1");
        String listening = serve.out.awaitStartingWith("listening on ", WAIT);

        String stats = serve.err.awaitStartingWith("stats: ", WAIT);

        assertTrue(stats.startsWith("stats: connections 0 open / 0 total, messages 0 in / 0 out"), stats);
        serve.subcommand("serve", ServeCommand.class).stop();
        assertEquals(0, serve.exitCode());
        assertEquals(List.of(listening), serve.out.lines());
    }

    @Test
    void aNegativeIntervalIsRefused() throws Exception {
        CliRun serve = CliRun.run("serve", "--port", "0", "--stats-interval", "-1");

        assertEquals(2, serve.exitCode());
        assertTrue(serve.err.text().contains("--stats-interval must not be negative: -1"), serve.err.text());
    }
}
