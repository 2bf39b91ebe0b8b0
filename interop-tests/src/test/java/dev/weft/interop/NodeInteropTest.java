package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import dev.weft.testing.Recorder;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weft against Node's {@code ws} library, an implementation nobody here wrote, both ways and on
 * each {@link WeftTransport}: Node's client against the Weft server, and the Weft client against
 * Node's server. Then Weft against
 * messages compressed by Node's zlib ({@code deflateRawSync}), whose DEFLATE data ends in a block
 * with BFINAL set (RFC 7692 §7.2.3.4), which {@code ws} never sends: scripts that speak WebSocket
 * by hand over a TCP socket send them, both ways. Needs Node.js and
 * {@code interop-tests/node/node_modules}, which {@code .ci/run} installs ({@code npm ci}); without
 * them these tests are reported as skipped with that reason, never passed silently.
 */
class NodeInteropTest {

    private static final Path SCRIPTS = Path.of("node");

    /** How both sides are set up; the names are what the Node scripts take. */
    enum Mode {
        /** No compression. */
        NONE("none"),
        /** permessage-deflate, each side keeping its compression context between messages. */
        TAKEOVER("takeover"),
        /** permessage-deflate, both sides resetting their context after each message. */
        NO_TAKEOVER("no-takeover");

        final String script;

        Mode(String script) {
            this.script = script;
        }

        WebSocketConfig config() {
            List<ExtensionFactory> extensions = this == NONE ? List.of() : List.of(PerMessageDeflate.builder()
                    .threshold(0)
                    .clientNoContextTakeover(this == NO_TAKEOVER)
                    .serverNoContextTakeover(this == NO_TAKEOVER)
                    .build());
            return WeftEcho.config(32 << 20).toBuilder().extensions(extensions).build();
        }

        /** The agreement both sides must reach, as the server's response header lists it. */
        String agreed() {
            return switch (this) {
                case NONE -> "";
                case TAKEOVER -> "permessage-deflate";
                case NO_TAKEOVER -> "permessage-deflate; server_no_context_takeover; client_no_context_takeover";
            };
        }
    }

    static Stream<Arguments> modes() {
        return WeftTransport.withEach((Object[]) Mode.values());
    }

    static Stream<Arguments> compressingModes() {
        return WeftTransport.withEach(Mode.TAKEOVER, Mode.NO_TAKEOVER);
    }

    @BeforeAll
    static void needsNode() {
        boolean present = Files.isDirectory(SCRIPTS.resolve("node_modules/ws")) && runs("node", "--version");
        String why = "Node.js and interop-tests/node/node_modules are needed: run 'npm ci --prefix interop-tests/node' (.ci/run does)";
        // On CI a missing peer is a broken build, not a reason to skip.
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, why);
        }
        Assumptions.assumeTrue(present, why);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("modes")
    void nodeClientAgainstTheWeftServer(WeftTransport weft, Mode mode) throws Exception {
        try (WeftTransport.Server server = weft.serve(mode.config(), WeftTransport.Endpoint.echo("/"))) {
            Process node = new ProcessBuilder("node", "client.mjs", server.uri("/").toString(), mode.script)
                    .directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), output);
            assertEquals(0, node.exitValue(), output);
            assertTrue(output.contains("closed 1000"), output);
            assertTrue(output.contains("negotiated " + mode.agreed() + "\n"), output);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("modes")
    void weftClientAgainstTheNodeServer(WeftTransport weft, Mode mode) throws Exception {
        Process node = new ProcessBuilder("node", "echo-server.mjs", mode.script).directory(SCRIPTS.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (WeftTransport.Client client = weft.client(mode.config())) {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String listening = out.readLine();
            assertTrue(listening != null && listening.startsWith("port "), String.valueOf(listening));
            Recorder recorder = Recorder.recording();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + listening.substring(5) + "/"), recorder)
                    .get(Inbox.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(mode.agreed(), c.extensions().stream().map(Object::toString).collect(Collectors.joining(", ")));
            for (int size : new int[] {0, 1, 125, 126, 4096, 65536, 1 << 20}) {
                String text = Payloads.ascii(size);
                byte[] data = Payloads.binary(size, size);
                c.sendText(text);
                c.sendBinary(ByteBuffer.wrap(data));
                assertEquals(text, recorder.nextText());
                assertArrayEquals(data, recorder.nextBinary());
            }
            c.close(1000, "done");
            assertEquals("1000 done", recorder.awaitClose());
        } finally {
            node.getOutputStream().close(); // the server stops at the end of its input
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("compressingModes")
    void nodeSendsFinishedDeflateStreamsToTheWeftServer(WeftTransport weft, Mode mode) throws Exception {
        try (WeftTransport.Server server = weft.serve(mode.config(), WeftTransport.Endpoint.echo("/"))) {
            Process node = new ProcessBuilder("node", "final-block-client.mjs", server.uri("/").toString(), mode.script)
                    .directory(SCRIPTS.toFile()).redirectErrorStream(true).start();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), output);
            assertEquals(0, node.exitValue(), output);
            assertTrue(output.contains("closed 1000"), output);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("compressingModes")
    void theWeftClientTakesFinishedDeflateStreamsFromNode(WeftTransport weft, Mode mode) throws Exception {
        Process node = new ProcessBuilder("node", "final-block-server.mjs", mode.script).directory(SCRIPTS.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (WeftTransport.Client client = weft.client(mode.config())) {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
            String listening = out.readLine();
            assertTrue(listening != null && listening.startsWith("port "), String.valueOf(listening));
            Recorder recorder = Recorder.recording();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + listening.substring(5) + "/"), recorder)
                    .get(Inbox.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(mode.agreed(), c.extensions().stream().map(Object::toString).collect(Collectors.joining(", ")));
            // What raw-websocket.mjs sends, in its order.
            for (int size : new int[] {0, 1, 125, 126, 4096, 65536, 1 << 20}) {
                assertEquals(Payloads.ascii(size), recorder.nextText());
                assertArrayEquals(incompressible(size), recorder.nextBinary());
            }
            assertEquals(Payloads.ascii(10000), recorder.nextText());
            c.close(1000, "done");
            assertEquals("1000 bye", recorder.awaitClose());
        } finally {
            node.getOutputStream().close(); // the server stops at the end of its input
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    /** raw-websocket.mjs's binary(size): SHA-256 of "size:0", "size:1", ... joined, cut to {@code size} bytes. */
    private static byte[] incompressible(int size) throws NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] bytes = new byte[size];
        for (int k = 0; k * 32 < size; k++) {
            byte[] block = sha256.digest((size + ":" + k).getBytes(StandardCharsets.US_ASCII));
            System.arraycopy(block, 0, bytes, k * 32, Math.min(32, size - k * 32));
        }
        return bytes;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
