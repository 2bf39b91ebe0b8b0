package dev.weft.cli.command;

import dev.weft.api.Message;
import dev.weft.transport.blocking.BlockingWebSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.weft.cli.command.CliRun.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft serve --metrics}: Prometheus text on {@code /metrics}, scraped over HTTP after some traffic. */
class ServeMetricsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"nio", "blocking"})
    void theSeriesOfTheTrafficAreServedOnSlashMetrics(String transport) throws Exception {
        CliRun serve = CliRun.start("", "serve", "--port", "0", "--metrics", "--transport", transport);
        String listening = serve.out.awaitStartingWith("listening on ", WAIT);
        String address = listening.substring("listening on ws://".length(), listening.indexOf(' ', "listening on ws://".length()));
        try (BlockingWebSocket echo = BlockingWebSocket.connect(URI.create("ws://" + address + "/echo"))) {
            for (String text : List.of("one", "two")) {
                echo.sendText(text);
                assertEquals(Message.text(text), echo.receive(WAIT));
            }
        }

        String text = awaitScrape(address, "weft_connections_closed_total{code=\"1000\",endpoint=\"/echo\",role=\"server\",side=\"remote\"} 1.0");

        assertTrue(text.contains("weft_connections_opened_total{endpoint=\"/echo\",role=\"server\"} 1.0"), text);
        assertTrue(text.contains("weft_messages_received_total{endpoint=\"/echo\",role=\"server\"} 2.0"), text);
        assertTrue(text.contains("weft_messages_sent_total{endpoint=\"/echo\",role=\"server\"} 2.0"), text);
        assertTrue(text.contains("weft_connections_active{endpoint=\"/echo\",role=\"server\"} 0.0"), text);
        assertTrue(text.contains("weft_network_received_bytes_total"), text);
        assertTrue(text.contains("weft_budget_limit_bytes"), text);
        serve.subcommand("serve", ServeCommand.class).stop();
        assertEquals(0, serve.exitCode());
    }

    /** Scrapes until the text holds {@code line} (the server counts a close on its own thread), at most {@link CliRun#WAIT}. */
    private String awaitScrape(String address, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> scraped = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scraped.statusCode());
            if (scraped.body().contains(line) || System.nanoTime() - deadline > 0) {
                assertTrue(scraped.body().contains(line), scraped.body());
                return scraped.body();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
