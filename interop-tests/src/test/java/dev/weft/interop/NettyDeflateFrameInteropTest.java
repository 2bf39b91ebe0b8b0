package dev.weft.interop;

import dev.weft.api.CloseCodes;
import dev.weft.api.Connection;
import dev.weft.api.WebSocketConfig;
import dev.weft.api.extension.ExtensionFactory;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.ext.deflateframe.DeflateFrame;
import dev.weft.testing.Recorder;
import dev.weft.transport.nio.WebSocketClient;
import dev.weft.transport.nio.WebSocketServer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.DeflateFrameClientExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.DeflateFrameServerExtensionHandshaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.weft.interop.Inbox.TIMEOUT_SECONDS;
import static dev.weft.interop.Payloads.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-frame deflate against Netty 4.1, an implementation nobody here wrote, both ways and under both
 * names: the Weft client against a Netty echo server with {@code DeflateFrameServerExtensionHandshaker},
 * and Netty's client with {@code DeflateFrameClientExtensionHandshaker} against a Weft echo server.
 * Netty's echo server sends each frame back as it came, so fragmented messages come back fragmented,
 * compressed frame by frame by Netty (RSV1 on every continuation frame). Everything runs on
 * 127.0.0.1 and ephemeral ports.
 */
class NettyDeflateFrameInteropTest {

    private static final int[] SIZES = {0, 1, 125, 126, 4096, 65_535, 65_536, MIB};

    /** The {@code Sec-WebSocket-Extensions} of each response Netty's server sent, in order. */
    private static final BlockingQueue<String> nettyServerAgreed = new LinkedBlockingQueue<>();

    private static EventLoopGroup group;
    private static Channel nettyServer;
    private static int nettyPort;

    @BeforeAll
    static void startNettyServer() throws Exception {
        group = new NioEventLoopGroup(2);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(64 * 1024),
                                new ResponseRecorder(),
                                new WebSocketServerExtensionHandler(new DeflateFrameServerExtensionHandshaker(
                                        DeflateFrameServerExtensionHandshaker.DEFAULT_COMPRESSION_LEVEL, 8 * MIB)),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/echo")
                                        .allowExtensions(true)
                                        .maxFramePayloadLength(4 * MIB)
                                        .build()),
                                new NettyEcho());
                    }
                });
        ChannelFuture bound = bootstrap.bind("127.0.0.1", 0);
        assertTrue(bound.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "Netty's server did not bind in time");
        nettyServer = bound.sync().channel();
        nettyPort = ((InetSocketAddress) nettyServer.localAddress()).getPort();
    }

    @AfterAll
    static void stopNetty() {
        if (nettyServer != null) {
            nettyServer.close().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (group != null) {
            group.shutdownGracefully(0, TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void forgetEarlierResponses() {
        nettyServerAgreed.clear();
    }

    // ---------------------------------------------------------------- Weft client, Netty server

    @ParameterizedTest(name = "{0}, Weft compresses without context: {1}")
    @CsvSource({"deflate-frame, false", "deflate-frame, true", "x-webkit-deflate-frame, false",
                "x-webkit-deflate-frame, true"})
    void weftClientAgainstNettyServer(String name, boolean noContextTakeover) throws Exception {
        DeflateFrame deflate = DeflateFrame.builder().name(name).threshold(0)
                .noContextTakeover(noContextTakeover).build();
        try (WebSocketClient client = WebSocketClient.builder()
                .config(WebSocketConfig.builder().extensions(List.of(deflate)).build()).build()) {
            Recorder recorder = Recorder.recording();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + nettyPort + "/echo"), recorder)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(List.of(ExtensionParameters.of(name)), c.extensions());
            assertEquals(name, nettyServerAgreed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));

            for (int size : SIZES) {
                String text = Payloads.mixed(size);
                byte[] data = Payloads.binary(size, size);
                c.sendText(text);
                c.sendBinary(ByteBuffer.wrap(data));
                assertEquals(text, recorder.nextText());
                assertArrayEquals(data, recorder.nextBinary());
            }
            // In parts, an empty one among them (sent uncompressed); Netty echoes each part as a
            // frame of its own, compressed.
            String big = Payloads.mixed(70_000);
            c.sendText("Hello, ", false);
            c.sendText("", false);
            c.sendText(big, false);
            c.sendText("wörld 𝄞", true);
            assertEquals("Hello, " + big + "wörld 𝄞", recorder.nextText());
            byte[] data = Payloads.binary(200_000, 7);
            int[] cuts = {0, 1000, 1001, 70_000, 200_000};
            for (int i = 0; i + 1 < cuts.length; i++) {
                c.sendBinary(ByteBuffer.wrap(data, cuts[i], cuts[i + 1] - cuts[i]), i + 2 == cuts.length);
            }
            assertArrayEquals(data, recorder.nextBinary());

            c.close(CloseCodes.NORMAL_CLOSURE, "done");
            assertTrue(recorder.awaitClose().startsWith("1000"));
        }
    }

    @Test
    void nettyServerDeclinesAnOfferWithParametersAndTheConnectionGoesOnUncompressed() throws Exception {
        DeflateFrame asking = DeflateFrame.builder().requestNoContextTakeover(true).build();
        try (WebSocketClient client = WebSocketClient.builder()
                .config(WebSocketConfig.builder().extensions(List.of(asking)).build()).build()) {
            Recorder recorder = Recorder.recording();
            Connection c = client.connect(URI.create("ws://127.0.0.1:" + nettyPort + "/echo"), recorder)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(List.of(), c.extensions());
            assertEquals("none", nettyServerAgreed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            String text = Payloads.ascii(65_536);
            c.sendText(text);
            assertEquals(text, recorder.nextText());
            c.close(CloseCodes.NORMAL_CLOSURE, "done");
            assertTrue(recorder.awaitClose().startsWith("1000"));
        }
    }

    // ---------------------------------------------------------------- Netty client, Weft server

    @ParameterizedTest(name = "webkit name: {0}, Weft server: {1}")
    @CsvSource({"false, installed", "true, installed", "false, no-context-takeover", "true, no-context-takeover"})
    void nettyClientAgainstWeftServer(boolean webkit, String server) throws Exception {
        String name = webkit ? DeflateFrame.WEBKIT_NAME : DeflateFrame.NAME;
        // "installed": what ServiceLoader finds (permessage-deflate and both per-frame names, with
        // their default threshold); otherwise both names, compressing every frame on its own.
        List<ExtensionFactory> extensions = server.equals("installed") ? ExtensionFactory.installed()
                : DeflateFrame.builder().threshold(0).noContextTakeover(true).buildForBothNames();
        WebSocketConfig config = WeftEcho.config(32 << 20).toBuilder().extensions(extensions).build();
        BlockingQueue<WeftEcho> echoes = new LinkedBlockingQueue<>();
        try (WebSocketServer weft = WebSocketServer.builder().bind("127.0.0.1", 0).threads(1).config(config)
                .transport(WeftEcho.transport(32 << 20))
                .endpoint("/echo", () -> {
                    WeftEcho echo = new WeftEcho(false);
                    echoes.add(echo);
                    return echo;
                }).build().start()) {
            NettyClient netty = NettyClient.connect(URI.create("ws://127.0.0.1:" + weft.port() + "/echo"), webkit);
            try {
                assertEquals(name, netty.agreed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                WeftEcho echo = echoes.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(echo != null, "no connection reached the Weft server");
                Connection serverSide = echo.opened.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(List.of(ExtensionParameters.of(name)), serverSide.extensions());

                for (int size : SIZES) {
                    String text = Payloads.mixed(size);
                    byte[] data = Payloads.binary(size, size);
                    netty.send(new TextWebSocketFrame(text));
                    netty.send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)));
                    assertEquals(text, netty.inbox.nextText());
                    assertArrayEquals(data, netty.inbox.nextBinary());
                }
                // In parts, compressed by Netty frame by frame, an empty one (uncompressed) among them.
                String big = Payloads.mixed(70_000);
                netty.send(new TextWebSocketFrame(false, 0, "Hello, "));
                netty.send(new ContinuationWebSocketFrame(false, 0, ""));
                netty.send(new ContinuationWebSocketFrame(false, 0, big));
                netty.send(new ContinuationWebSocketFrame(true, 0, "wörld 𝄞"));
                assertEquals("Hello, " + big + "wörld 𝄞", netty.inbox.nextText());
                byte[] data = Payloads.binary(200_000, 11);
                netty.send(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(data, 0, 1000)));
                netty.send(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(data, 1000, 69_000)));
                netty.send(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(data, 70_000, 130_000)));
                assertArrayEquals(data, netty.inbox.nextBinary());

                netty.send(new CloseWebSocketFrame(CloseCodes.NORMAL_CLOSURE, "done"));
                assertTrue(netty.inbox.awaitClose().startsWith("1000"));
                assertEquals("1000 done", echo.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } finally {
                netty.channel.close().awaitUninterruptibly(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    // ---------------------------------------------------------------- Netty's side

    /** Sends every data frame back as it came: fragmented messages come back in the same frames. */
    private static final class NettyEcho extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                ctx.writeAndFlush(frame.retain());
            }
        }
    }

    /** Notes the extensions of each handshake response Netty's server writes ("none" if it has none). */
    private static final class ResponseRecorder extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response) {
                String agreed = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
                nettyServerAgreed.add(agreed == null ? "none" : agreed);
            }
            ctx.write(msg, promise);
        }
    }

    /** Netty's WebSocket client with its deflate-frame handshaker; messages land in {@link #inbox}. */
    private static final class NettyClient extends SimpleChannelInboundHandler<Object> {

        final WebSocketClientHandshaker handshaker;
        /** The {@code Sec-WebSocket-Extensions} of the server's response, once the handshake is done. */
        final CompletableFuture<String> agreed = new CompletableFuture<>();
        final Inbox inbox = new Inbox() { };
        Channel channel;
        /** The message being received, and whether it is text. */
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private boolean partialIsText;

        private NettyClient(WebSocketClientHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        static NettyClient connect(URI uri, boolean webkit) throws InterruptedException {
            NettyClient client = new NettyClient(WebSocketClientHandshakerFactory.newHandshaker(
                    uri, WebSocketVersion.V13, null, true, new DefaultHttpHeaders(), 4 * MIB));
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new HttpClientCodec(),
                                    new HttpObjectAggregator(64 * 1024),
                                    new WebSocketClientExtensionHandler(new DeflateFrameClientExtensionHandshaker(
                                            DeflateFrameServerExtensionHandshaker.DEFAULT_COMPRESSION_LEVEL,
                                            webkit, 8 * MIB)),
                                    client);
                        }
                    });
            ChannelFuture connected = bootstrap.connect(uri.getHost(), uri.getPort());
            assertTrue(connected.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "Netty's client did not connect in time");
            client.channel = connected.sync().channel();
            return client;
        }

        /** Writes a frame; the test waits for its echo, not for the write. */
        void send(WebSocketFrame frame) {
            channel.writeAndFlush(frame);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            handshaker.handshake(ctx.channel());
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!handshaker.isHandshakeComplete()) {
                FullHttpResponse response = (FullHttpResponse) msg;
                handshaker.finishHandshake(ctx.channel(), response);
                String extensions = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
                agreed.complete(extensions == null ? "none" : extensions);
                return;
            }
            if (msg instanceof CloseWebSocketFrame close) {
                inbox.closed.complete(close.statusCode() + " " + close.reasonText());
                ctx.close();
                return;
            }
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                partial.reset();
                partialIsText = msg instanceof TextWebSocketFrame;
            } else if (!(msg instanceof ContinuationWebSocketFrame)) {
                return; // pings and pongs
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            ByteBuf content = frame.content();
            byte[] bytes = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), bytes);
            partial.writeBytes(bytes);
            if (frame.isFinalFragment()) {
                byte[] message = partial.toByteArray();
                inbox.messages.add(partialIsText ? new String(message, StandardCharsets.UTF_8) : message);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            agreed.completeExceptionally(cause);
            inbox.closed.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            agreed.completeExceptionally(new IllegalStateException("closed before the handshake finished"));
            inbox.closed.complete("closed without a close frame");
        }
    }
}
