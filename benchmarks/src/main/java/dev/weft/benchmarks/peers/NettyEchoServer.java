package dev.weft.benchmarks.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;

import java.net.InetSocketAddress;

/**
 * A Netty 4.2 WebSocket echo server, the reference peer for side-by-side runs against
 * {@code weft serve}: every data frame goes back as it came (text as text, binary as binary,
 * continuations as continuations, so fragmented messages echo with their fragmentation), with
 * permessage-deflate on offer, 16 MiB frames, UTF-8 validated, on any path. Netty answers pings and
 * the close handshake itself.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.weft.benchmarks.peers.NettyEchoServer --port 9002 --threads 2
 * </pre>
 *
 * Binds 127.0.0.1 only and prints {@code listening on 127.0.0.1:PORT} on standard output once it
 * accepts connections; runs until killed.
 */
public final class NettyEchoServer {

    private NettyEchoServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        PeerOptions options = PeerOptions.parseOrExit("NettyEchoServer", args);
        // NIO rather than epoll: Weft runs on java.nio selectors, so the same kind of event loop
        // keeps the comparison about the WebSocket code, not the poller. The pooled allocator,
        // Netty's default, stays.
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(options.threads(), NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(65536),
                                    // Inflated messages are bounded like frames, against decompression bombs.
                                    new WebSocketServerCompressionHandler(PeerOptions.MAX_MESSAGE_SIZE),
                                    // "/" with checkStartsWith: every path upgrades.
                                    new WebSocketServerProtocolHandler("/", null, true, PeerOptions.MAX_MESSAGE_SIZE,
                                            false, true),
                                    Echo.INSTANCE);
                        }
                    })
                    .bind(PeerOptions.HOST, options.port())
                    .sync()
                    .channel();
            PeerOptions.announce(((InetSocketAddress) server.localAddress()).getPort());
            server.closeFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }

    /**
     * Writes each data frame back, flushing once per read batch. While the connection's outbound
     * buffer is over Netty's high-water mark it stops reading, so a client that does not read
     * cannot grow the server's memory (as Weft pauses reading over its own limit).
     */
    @ChannelHandler.Sharable
    static final class Echo extends SimpleChannelInboundHandler<WebSocketFrame> {

        static final Echo INSTANCE = new Echo();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            // The inbound frame is released after this method: the echo keeps its own reference.
            // Reserved bits are left to the compression encoder, which sets RSV1 if it compresses.
            boolean fin = frame.isFinalFragment();
            WebSocketFrame echo;
            if (frame instanceof TextWebSocketFrame) {
                echo = new TextWebSocketFrame(fin, 0, frame.content().retain());
            } else if (frame instanceof BinaryWebSocketFrame) {
                echo = new BinaryWebSocketFrame(fin, 0, frame.content().retain());
            } else if (frame instanceof ContinuationWebSocketFrame) {
                echo = new ContinuationWebSocketFrame(fin, 0, frame.content().retain());
            } else {
                return;  // control frames are the protocol handler's
            }
            ctx.write(echo, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
