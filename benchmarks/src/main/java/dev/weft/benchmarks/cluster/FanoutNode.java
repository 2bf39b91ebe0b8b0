package dev.weft.benchmarks.cluster;

import dev.weft.api.Connection;
import dev.weft.api.Message;
import dev.weft.api.WebSocketHandler;
import dev.weft.cluster.Broker;
import dev.weft.cluster.BrokerException;
import dev.weft.cluster.Rooms;
import dev.weft.transport.nio.WebSocketServer;

import java.nio.ByteBuffer;

/**
 * One node of the fan-out benchmark: a NIO server with one event loop whose {@code /room}
 * connections join the room {@link #ROOM}, and whose {@code /publish} connections broadcast each
 * binary message they send to it, themselves excepted; with a broker, through the cluster.
 */
final class FanoutNode implements AutoCloseable {

    static final String ROOM = "bench";

    private final Rooms rooms;
    private final WebSocketServer server;

    /** @param broker the broker to the other nodes, or null for a node alone */
    FanoutNode(String name, Broker broker) throws BrokerException {
        this.rooms = broker == null ? new Rooms() : Rooms.builder().broker(broker).node(name).start();
        this.server = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).rooms(rooms)
                .endpoint("/room", () -> new WebSocketHandler() {
                    @Override
                    public void onOpen(Connection c) {
                        rooms.join(ROOM, c);
                    }
                })
                .endpoint("/publish", () -> new WebSocketHandler() {
                    @Override
                    public void onBinary(Connection c, ByteBuffer data) {
                        rooms.broadcast(ROOM, Message.binary(data), c);
                    }
                })
                .build().start();
    }

    int port() {
        return server.port();
    }

    Rooms rooms() {
        return rooms;
    }

    @Override
    public void close() {
        server.close();
        rooms.close();
    }
}
