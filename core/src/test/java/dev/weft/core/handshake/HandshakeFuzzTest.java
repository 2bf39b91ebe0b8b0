package dev.weft.core.handshake;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.weft.api.Frame;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.handshake.HandshakeException;
import dev.weft.api.handshake.HandshakeInterceptor;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.HandshakeResponse;
import dev.weft.api.handshake.Headers;
import dev.weft.core.extension.ExtensionNegotiator;
import dev.weft.core.extension.FakeExtension;
import dev.weft.core.extension.FakeExtensionFactory;
import dev.weft.core.test.FuzzInput;
import dev.weft.core.test.FuzzSeed;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzz targets: the opening handshake of both roles fed arbitrary heads in arbitrary chunks.
 *
 * <p>Server ({@link HttpHeadParser} and {@link ServerHandshake}): the only exception is a
 * {@link HandshakeException} with 400 or 431; a complete head is answered either with a 101 that
 * carries the right {@code Sec-WebSocket-Accept}, or with a refusal whose status is one bad input
 * may get (400, 403, 405, 426) and whose response is well-formed HTTP (status line, headers,
 * {@code Content-Length} matching the body, {@code Connection: close}); the bytes after the head
 * stay unread; how the head is split changes nothing.
 *
 * <p>Client ({@link HttpHeadParser} and {@link ClientHandshake}): the only exception is a
 * {@link HandshakeException}, with status 0 or the non-101 status the server answered; an accepted
 * response was a 101 whose subprotocol and extensions were offered, with no extension twice and no
 * RSV bit claimed twice; every extension made for a refused response is closed.
 */
public class HandshakeFuzzTest {

    private static final Set<Integer> REFUSALS = Set.of(400, 403, 405, 426);
    private static final String ALLOWED_ORIGIN = "https://weft.dev";

    @FuzzTest
    void serverAnswersArbitraryRequestHeads(FuzzedDataProvider data) {
        int maxHeadBytes = data.consumeInt(1, 0xFFFF);
        int maxHeaders = data.consumeInt(0, 255);
        List<byte[]> chunks = FuzzInput.chunks(data);
        Parsed split = parse(HttpHeadParser.forRequest(maxHeadBytes, maxHeaders), chunks);
        Parsed whole = parse(HttpHeadParser.forRequest(maxHeadBytes, maxHeaders), List.of(FuzzInput.joined(chunks)));
        assertEquals(whole, split, "the split changed the outcome");
        if (split.status != 0) {
            assertTrue(split.status == 400 || split.status == 431, "parser refused with " + split.status);
            checkResponse(ServerHandshake.errorResponse(split.status, split.problem), split.status);
            return;
        }
        if (split.request == null) {
            return;
        }
        List<FakeExtensionFactory> factories = factories();
        ServerHandshake handshake = new ServerHandshake(config(factories), List.of(originCheck()));
        ServerHandshake.Result result = handshake.answer(split.request);
        if (result instanceof ServerHandshake.Accepted accepted) {
            HandshakeResponse response = checkResponse(accepted.responseBytes(), 101);
            String key = split.request.headers().first("Sec-WebSocket-Key").orElseThrow();
            assertEquals(List.of(AcceptKey.forKey(key)), response.headers().all("Sec-WebSocket-Accept"));
            checkAgreed(accepted.agreement().extensions());
            ExtensionNegotiator.closeAll(accepted.agreement().extensions());
        } else {
            ServerHandshake.Rejected rejected = (ServerHandshake.Rejected) result;
            int status = rejected.response().status();
            assertTrue(REFUSALS.contains(status), "refused with " + status + ": " + rejected.problem());
            HandshakeResponse response = checkResponse(rejected.responseBytes(), status);
            if (status == 426) {
                assertEquals(List.of("13"), response.headers().all("Sec-WebSocket-Version"));
            }
        }
        checkAllClosed(factories);
    }

    @FuzzTest
    void clientChecksArbitraryResponseHeads(FuzzedDataProvider data) {
        int maxHeadBytes = data.consumeInt(1, 0xFFFF);
        List<FakeExtensionFactory> factories = factories();
        ClientHandshake handshake = clientHandshake(factories);
        HttpHeadParser parser = HttpHeadParser.forResponse(maxHeadBytes, 100);
        boolean complete = false;
        try {
            for (byte[] chunk : FuzzInput.chunks(data)) {
                if (parser.parse(ByteBuffer.wrap(chunk))) {
                    complete = true;
                    break;
                }
            }
        } catch (HandshakeException e) {
            assertEquals(0, e.status(), "a response parser has nobody to answer: " + e);
            return;
        }
        if (!complete) {
            return;
        }
        HandshakeResponse response = parser.response();
        try {
            Agreement agreement = handshake.accept(response);
            assertEquals(101, response.status());
            String subprotocol = agreement.subprotocol();
            assertTrue(subprotocol == null || List.of("chat", "superchat").contains(subprotocol), subprotocol);
            checkAgreed(agreement.extensions());
            ExtensionNegotiator.closeAll(agreement.extensions());
        } catch (HandshakeException e) {
            assertTrue(e.status() == 0 || e.status() == response.status() && e.status() != 101,
                    "status " + e.status() + " for a " + response.status() + ": " + e.getMessage());
        }
        checkAllClosed(factories);
    }

    /** The seeds of {@link #serverAnswersArbitraryRequestHeads}: real requests, good and bad. */
    public static Map<String, FuzzSeed> serverSeeds() {
        ByteBuffer bytes = clientHandshake(factories()).requestBytes();
        byte[] head = new byte[bytes.remaining()];
        bytes.get(head);
        String request = new String(head, StandardCharsets.ISO_8859_1);
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        seeds.put("upgrade-whole", serverSeed(16384, request + "\u0081\u0085\u0037\u00fa", 255));
        seeds.put("upgrade-bytewise", serverSeed(16384, request, 1));
        seeds.put("upgrade-with-origin", serverSeed(16384, withHeader(request, "Origin: " + ALLOWED_ORIGIN), 64));
        seeds.put("origin-refused-403", serverSeed(16384, withHeader(request, "Origin: https://evil.example"), 64));
        seeds.put("version-8-426", serverSeed(16384, request.replace("Version: 13", "Version: 8"), 255));
        seeds.put("post-405", serverSeed(16384, request.replace("GET ", "POST "), 255));
        seeds.put("http-1.0-400", serverSeed(16384, request.replace("HTTP/1.1", "HTTP/1.0"), 255));
        seeds.put("no-host-400", serverSeed(16384, request.replaceFirst("Host: [^\r]*\r\n", ""), 255));
        seeds.put("short-key-400", serverSeed(16384, request.replaceFirst("Key: [^\r]*", "Key: dGhlIHNhbXBsZQ=="), 255));
        seeds.put("extensions-malformed-400", serverSeed(16384,
                request.replaceFirst("Extensions: [^\r]*", "Extensions: x-fake; a=\"b"), 255));
        seeds.put("extensions-rsv-conflict", serverSeed(16384,
                request.replaceFirst("Extensions: [^\r]*", "Extensions: x-other, x-fake; p=1, x-three, permessage-deflate"),
                255));
        seeds.put("obs-fold-400", serverSeed(16384, withHeader(request, "X-A: 1\r\n 2"), 255));
        seeds.put("bare-cr-400", serverSeed(16384, withHeader(request, "X-A: 1\r2"), 255));
        seeds.put("head-too-large-431", serverSeed(200, request, 255));
        seeds.put("lf-only-lines", serverSeed(16384, request.replace("\r\n", "\n"), 255));
        return seeds;
    }

    /** The seeds of {@link #clientChecksArbitraryResponseHeads}: the answers a server might give. */
    public static Map<String, FuzzSeed> clientSeeds() {
        ClientHandshake handshake = clientHandshake(factories());
        String key = handshake.request().headers().first("Sec-WebSocket-Key").orElseThrow();
        String accepted = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + AcceptKey.forKey(key) + "\r\n";
        Map<String, FuzzSeed> seeds = new LinkedHashMap<>();
        seeds.put("101-plain", clientSeed(accepted + "\r\n", 255));
        seeds.put("101-subprotocol-extensions", clientSeed(accepted + "Sec-WebSocket-Protocol: chat\r\n"
                + "Sec-WebSocket-Extensions: x-fake; p=1, x-three\r\n\r\n\u0081\u0005Hello", 7));
        seeds.put("101-rsv-conflict", clientSeed(accepted + "Sec-WebSocket-Extensions: x-fake, x-other\r\n\r\n", 255));
        seeds.put("101-extension-twice", clientSeed(accepted + "Sec-WebSocket-Extensions: x-fake, x-fake\r\n\r\n", 255));
        seeds.put("101-extension-not-offered", clientSeed(accepted
                + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n", 255));
        seeds.put("101-subprotocol-not-offered", clientSeed(accepted + "Sec-WebSocket-Protocol: mqtt\r\n\r\n", 255));
        seeds.put("101-folded", clientSeed(accepted.replace("Upgrade: websocket", "Upgrade:\r\n websocket") + "\r\n", 1));
        seeds.put("101-wrong-accept", clientSeed(accepted.replace("Accept: ", "Accept: x") + "\r\n", 255));
        seeds.put("400-refused", clientSeed("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", 255));
        seeds.put("302-redirect", clientSeed("HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.1:8081/\r\n\r\n", 255));
        seeds.put("status-line-malformed", clientSeed("HTTP/1.1 1O1 Switching\r\n\r\n", 255));
        return seeds;
    }

    private static FuzzSeed serverSeed(int maxHeadBytes, String head, int chunk) {
        return new FuzzSeed().choice(maxHeadBytes, 1, 0xFFFF).choice(100, 0, 255)
                .chunks(head.getBytes(StandardCharsets.ISO_8859_1), chunk);
    }

    private static FuzzSeed clientSeed(String head, int chunk) {
        return new FuzzSeed().choice(16384, 1, 0xFFFF).chunks(head.getBytes(StandardCharsets.ISO_8859_1), chunk);
    }

    private static String withHeader(String request, String line) {
        return request.replaceFirst("\r\n\r\n$", "\r\n" + line + "\r\n\r\n");
    }

    /** What parsing a head led to: a request, a refusal status with its reason, or neither yet. */
    private record Parsed(HandshakeRequest request, int status, String problem, int unread) {
    }

    private static Parsed parse(HttpHeadParser parser, List<byte[]> chunks) {
        int unread = 0;
        boolean complete = false;
        try {
            for (byte[] chunk : chunks) {
                if (complete) {
                    unread += chunk.length;
                    continue;
                }
                ByteBuffer in = ByteBuffer.wrap(chunk);
                complete = parser.parse(in);
                if (complete) {
                    unread = in.remaining();
                    assertTrue(parser.parse(in), "a complete head stays complete");
                    assertEquals(unread, in.remaining(), "a complete parser consumed more");
                } else {
                    assertEquals(0, in.remaining(), "an incomplete head left input unread");
                }
            }
        } catch (HandshakeException e) {
            return new Parsed(null, e.status(), e.getMessage(), 0);
        }
        return new Parsed(complete ? parser.request() : null, 0, null, unread);
    }

    /** Parses a response the server wrote: complete, with the status expected and a body as long as declared. */
    private static HandshakeResponse checkResponse(ByteBuffer bytes, int status) {
        ByteBuffer in = bytes.duplicate();
        HttpHeadParser parser = HttpHeadParser.forResponse(64 * 1024, 100);
        if (!parser.parse(in)) {
            fail("an incomplete response head");
        }
        HandshakeResponse response = parser.response();
        assertEquals(status, response.status());
        String length = response.headers().first("Content-Length").orElse("0");
        assertEquals(Integer.parseInt(length), in.remaining(), "Content-Length against the body");
        if (status != 101) {
            assertEquals(List.of("close"), response.headers().all("Connection"));
        }
        return response;
    }

    private static void checkAgreed(List<Extension> extensions) {
        Set<String> names = new HashSet<>();
        int rsv = 0;
        for (Extension e : extensions) {
            assertTrue(names.add(e.parameters().name()), "agreed twice: " + e.parameters().name());
            assertEquals(0, rsv & e.rsv(), "an RSV bit claimed twice");
            rsv |= e.rsv();
        }
    }

    private static void checkAllClosed(List<FakeExtensionFactory> factories) {
        for (FakeExtensionFactory f : factories) {
            for (FakeExtension e : f.made()) {
                assertEquals(1, e.closes(), e + " closed " + e.closes() + " times");
            }
        }
    }

    /** New factories for each input: they record what they make. Two claim RSV2, to test conflicts. */
    private static List<FakeExtensionFactory> factories() {
        return List.of(new FakeExtensionFactory("x-fake", Frame.RSV2), new FakeExtensionFactory("x-other", Frame.RSV2),
                new FakeExtensionFactory("x-three", Frame.RSV3));
    }

    private static WebSocketConfig config(List<FakeExtensionFactory> factories) {
        return WebSocketConfig.builder().subprotocols(List.of("chat", "superchat"))
                .extensions(List.<ExtensionFactory>copyOf(factories)).build();
    }

    /** The same request every time: the key comes from a seeded random. */
    private static ClientHandshake clientHandshake(List<FakeExtensionFactory> factories) {
        return new ClientHandshake(URI.create("ws://127.0.0.1:8080/chat?room=1"), Headers.empty(), config(factories),
                new Random(1));
    }

    /** Refuses an {@code Origin} other than the allowed one with 403, as an application would. */
    private static HandshakeInterceptor originCheck() {
        return (request, decision) -> request.headers().first("Origin").ifPresent(origin -> {
            if (!origin.equals(ALLOWED_ORIGIN)) {
                decision.reject(403, "origin not allowed");
            }
        });
    }
}
