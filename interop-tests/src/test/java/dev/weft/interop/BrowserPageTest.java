package dev.weft.interop;

import org.json.simple.JSONObject;
import org.json.simple.parser.JSONParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page of {@code weft serve} in a real browser: the packaged {@code weft.jar} serves it, and
 * {@code node/browser-page.mjs} drives Debian's Chromium through playwright-core. Two browser
 * contexts chat in one room (with join and leave notices, and a reconnect after the server drops
 * one), the echo view sends text, binary and 1 MiB over permessage-deflate and closes with a code
 * of its own, a connect to a missing path shows its 404, and the header fits a 360 px screen.
 * What the server agreed and was told is read from its own log. Screenshots are kept in
 * {@code target/browser}. Needs Chromium at {@code /usr/bin/chromium} and
 * {@code interop-tests/node/node_modules}, which {@code .ci/run} installs; without them the test is
 * skipped with that reason, and with {@code CI=true} it fails.
 */
class BrowserPageTest {

    private static final Path SCRIPTS = Path.of("node");
    private static final Path JAR = Path.of("..", "cli", "target", "weft.jar");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "browser");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final long WAIT_SECONDS = 30;
    /** The whole browser script: its steps wait 20 s at most each. */
    private static final long SCRIPT_SECONDS = 180;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void needsChromiumAndTheDriver() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))
                && Files.isRegularFile(JAR);
        String why = "Chromium at " + CHROMIUM + ", interop-tests/node/node_modules (npm ci --prefix interop-tests/node)"
                + " and cli/target/weft.jar (mvn package) are needed; .ci/run installs the first two and builds the jar";
        // On CI a missing browser is a broken build, not a reason to skip.
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, why);
        }
        Assumptions.assumeTrue(present, why);
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            // Chromium is the script's child: end it too if the script did not.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroy();
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void thePageWorksInChromium() throws Exception {
        Process server = start(new ProcessBuilder(JAVA, "-jar", JAR.toString(), "serve", "--port", "0"));
        Lines serverLog = Lines.of(server.getErrorStream());
        String listening = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(listening != null && listening.startsWith("listening on ws://127.0.0.1:"), listening + "\n" + serverLog.text());
        String base = "http://" + listening.substring("listening on ws://".length()).split(" ")[0];

        Process browser = start(new ProcessBuilder("node", "browser-page.mjs", base, SCREENSHOTS.toAbsolutePath().toString())
                .directory(SCRIPTS.toFile()));
        Lines errors = Lines.of(browser.getErrorStream());
        String output = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(browser.waitFor(SCRIPT_SECONDS, TimeUnit.SECONDS), output);
        String report = output + errors.text();
        assertEquals(0, browser.exitValue(), report);

        String[] lines = output.strip().split("\n");
        JSONObject result = (JSONObject) new JSONParser().parse(lines[lines.length - 1]);
        assertEquals(Boolean.TRUE, result.get("ok"), report);
        assertEquals("Weft demo", result.get("title"));
        assertTrue(((String) result.get("node")).startsWith("node "), report);
        JSONObject favicon = (JSONObject) result.get("favicon");
        assertEquals(200L, favicon.get("status"), report);
        assertEquals("image/svg+xml", favicon.get("type"), report);
        assertTrue(((String) result.get("extensions")).contains("extensions: permessage-deflate"), report);
        assertTrue(((String) result.get("failure")).contains("connect failed: HTTP 404"), report);
        JSONObject narrow = (JSONObject) result.get("narrow");
        assertEquals(360L, narrow.get("viewport"), report);
        assertTrue((Long) narrow.get("pageWidth") <= 360L, "the page is wider than the screen: " + narrow);
        assertTrue((Long) narrow.get("headerScrollWidth") <= (Long) narrow.get("headerClientWidth"), "the header overflows: " + narrow);
        assertEquals(Boolean.TRUE, narrow.get("inside"), "something sticks out of the header: " + narrow);
        assertEquals(Boolean.TRUE, narrow.get("tabsOnOneRow"), "the tabs wrapped: " + narrow);

        // The server's side, from its access log: the echo connection agreed permessage-deflate and
        // got the page's close.
        serverLog.await("INFO access: ", " path=/echo ", " extensions=permessage-deflate", " close=4321 ",
                "reason=\"browser test\"", "closed_by=remote");

        for (String shot : new String[] {"chat.png", "echo.png", "narrow-360.png"}) {
            Path file = SCREENSHOTS.resolve(shot);
            assertTrue(Files.isRegularFile(file) && Files.size(file) > 0, "no screenshot " + file);
        }
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    /** The lines of a process's stream, read as they come on a thread of their own. */
    private static final class Lines {

        private final List<String> lines = new ArrayList<>();

        static Lines of(InputStream stream) {
            Lines lines = new Lines();
            Thread reader = new Thread(() -> lines.read(stream), "read process output");
            reader.setDaemon(true);
            reader.start();
            return lines;
        }

        private void read(InputStream stream) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process went away: what was read stays
            }
        }

        /** Waits until a line containing every one of {@code parts} has come. */
        synchronized void await(String... parts) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (lines.stream().noneMatch(line -> List.of(parts).stream().allMatch(line::contains))) {
                long left = deadline - System.nanoTime();
                Assertions.assertTrue(left > 0, "no line with " + List.of(parts) + " in:\n" + String.join("\n", lines));
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }
}
