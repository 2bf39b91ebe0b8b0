package dev.weft.cli.command;

import dev.weft.api.WebSocketHandler;
import dev.weft.api.handshake.HandshakeRequest;
import dev.weft.api.handshake.Headers;
import dev.weft.api.handshake.HttpResponder;
import dev.weft.api.handshake.HttpResponses;
import dev.weft.cli.web.WebPage;
import dev.weft.transport.blocking.BlockingWebSocketServer;
import dev.weft.cluster.Rooms;
import dev.weft.transport.nio.WebSocketServer;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code weft serve} serves, described once and put on a server of either transport:
 * {@code /echo}, the chat rooms at {@code /chat} and {@code /chat/ROOM}, the page for plain
 * HTTP requests, and with {@code --metrics} the Prometheus text at {@code /metrics}. Its rooms belong to the site, not to a server: each {@link ChatHandler} leaves
 * its room when its connection closes, on a server that keeps no rooms (the blocking one) as on
 * one that does.
 */
final class DemoSite {

    /** An endpoint: a path pattern and the handler each connection accepted there gets. */
    private record Endpoint(String pattern, Function<HandshakeRequest, WebSocketHandler> handlers) {
    }

    private final Rooms rooms = new Rooms();
    private final HttpResponder page;
    private final List<Endpoint> endpoints;

    /** The site without {@code /metrics}. */
    DemoSite() {
        this(null);
    }

    /** @param metrics what {@code /metrics} answers (Prometheus text), or null for no such path */
    DemoSite(Supplier<String> metrics) {
        HttpResponder files = WebPage.responder();
        this.page = metrics == null ? files : request -> request.path().equals("/metrics")
                ? HttpResponses.text(200, Headers.empty(), metrics.get(), request.method().equals("HEAD"))
                : files.respond(request);
        Function<HandshakeRequest, WebSocketHandler> chat = request -> new ChatHandler(rooms, ChatHandler.roomOf(request.path()));
        this.endpoints = List.of(
                new Endpoint("/echo", request -> new EchoHandler()),
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

    /** Puts the site on a blocking server. */
    BlockingWebSocketServer.Builder addTo(BlockingWebSocketServer.Builder server) {
        endpoints.forEach(e -> server.endpoint(e.pattern(), e.handlers()));
        return server.httpResponder(page);
    }
}
