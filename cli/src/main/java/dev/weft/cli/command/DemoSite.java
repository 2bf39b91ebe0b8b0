package dev.weft.cli.command;

import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponder;
import dev.weft.api.handshake.HttpResponses;
import dev.weft.cli.Json;
import dev.weft.cli.web.WebPage;
import dev.weft.transport.blocking.BlockingWebSocketServer;
import dev.weft.cluster.Rooms;
import dev.weft.transport.nio.WebSocketServer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code weft serve} serves, described once and put on a server of either transport:
 * {@code /echo}, the chat rooms at {@code /chat} and {@code /chat/ROOM}, the page for plain
 * HTTP requests, {@code /info} (which node this is, as JSON, for the page), and with
 * {@code --metrics} the Prometheus text at {@code /metrics}. The rooms are given: with
 * {@code --cluster} they span every node on the same broker.
 */
final class DemoSite {

    /** An endpoint: a path pattern and the handler each connection accepted there gets. */
    private record Endpoint(String pattern, Function<HandshakeRequest, WebSocketHandler> handlers) {
    }

    private final Rooms rooms;
    private final HttpResponder page;
    private final List<Endpoint> endpoints;

    /** The site of one node, without {@code /metrics}. */
    DemoSite() {
        this(new Rooms(), null, null);
    }

    /**
     * @param rooms the chat rooms: this node's own, or a cluster's
     * @param cluster the broker the rooms reach other nodes through (its URI without credentials),
     *     or null for none
     * @param metrics what {@code /metrics} answers (Prometheus text), or null for no such path
     */
    DemoSite(Rooms rooms, String cluster, Supplier<String> metrics) {
        this.rooms = rooms;
        HttpResponder files = WebPage.responder();
        byte[] info = ("{\"node\":" + Json.quote(rooms.node()) + ",\"cluster\":"
                + (cluster == null ? "null" : Json.quote(cluster)) + "}").getBytes(StandardCharsets.UTF_8);
        Headers json = Headers.of("Content-Type", "application/json", "Content-Length", Integer.toString(info.length),
                "Cache-Control", "no-store", "Connection", "close");
        this.page = request -> switch (request.path()) {
            case "/info" -> HttpResponses.of(200, json, request.method().equals("HEAD") ? new byte[0] : info);
            case "/metrics" -> metrics == null ? files.respond(request)
                    : HttpResponses.text(200, Headers.empty(), metrics.get(), request.method().equals("HEAD"));
            default -> files.respond(request);
        };
        Function<HandshakeRequest, WebSocketHandler> chat = request -> new ChatHandler(rooms, ChatHandler.roomOf(request.path()));
        this.endpoints = List.of(
                new Endpoint("/echo", request -> EchoHandler.SHARED),
                new Endpoint("/chat", chat),
                new Endpoint("/chat/*", chat));
    }

    /** The chat rooms, by name: who is in each now. */
    Rooms rooms() {
        return rooms;
    }

    /** Puts the site on a NIO server, whose rooms become the site's. */
    WebSocketServer.Builder addTo(WebSocketServer.Builder server) {
        endpoints.forEach(e -> server.endpoint(e.pattern(), e.handlers()));
        return server.httpResponder(page).rooms(rooms);
    }

    /** Puts the site on a blocking server, whose rooms become the site's. */
    BlockingWebSocketServer.Builder addTo(BlockingWebSocketServer.Builder server) {
        endpoints.forEach(e -> server.endpoint(e.pattern(), e.handlers()));
        return server.httpResponder(page).rooms(rooms);
    }
}
