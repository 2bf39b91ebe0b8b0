package dev.weft.benchmarks;

import dev.weft.api.Frame;
import dev.weft.api.Opcode;
import dev.weft.api.Role;
import dev.weft.api.extension.Extension;
import dev.weft.api.extension.ExtensionContext;
import dev.weft.api.extension.ExtensionParameters;
import dev.weft.benchmarks.support.JsonCorpus;
import dev.weft.ext.permessagedeflate.PerMessageDeflate;
import dev.weft.ext.zlib.Zlib;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Native zlib memory per permessage-deflate connection, server side, for each mode: context
 * takeover with 15-bit windows, with a smaller server window ({@code server_max_window_bits},
 * native zlib, JDK 22+), with both directions' windows smaller (the client's through
 * {@code client_max_window_bits}, which the server then inflates with on native zlib), and without
 * context takeover (pooled contexts). Opens {@code N} agreed extensions (no sockets: the memory in question
 * is the extension's), and for each receives one compressed message and sends one; "idle" is
 * after both, "active" is with a message half sent and half received (its first frame only).
 * "pooled, idle" is the contexts lying in the factory's pool then, shared by all connections.
 *
 * <p>The bytes are zlib's documented requirements (zconf.h's formulas, as
 * {@code Extension.heldBytes()} reports them), not a measurement of the process: the count of live
 * contexts is exact ({@code Zlib.inUse()}, {@code Zlib.pooled()}), the bytes per context are
 * zlib's formula. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.weft.benchmarks.CompressionMemory [N]}, on JDK 17 and on JDK 22+ (with
 * {@code --enable-native-access=ALL-UNNAMED}).
 */
public final class CompressionMemory {

    private static final int LIMIT = 16 * 1024 * 1024;
    private static final ExtensionContext SERVER = new ExtensionContext(Role.SERVER, LIMIT, LIMIT);
    private static final ExtensionContext CLIENT = new ExtensionContext(Role.CLIENT, LIMIT, LIMIT);

    private CompressionMemory() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.printf("JDK %d, native zlib %s, %,d connections%n", Runtime.version().feature(),
                Zlib.nativeAvailable() ? "found" : "not found", n);
        System.out.printf("%-34s %12s %12s %14s %14s %12s%n", "mode", "idle B/conn", "active B/conn",
                "idle ctx/conn", "active ctx/conn", "pooled, idle");
        measure("context takeover, 15 bits", false, 15, 15, n);
        for (int bits : new int[] {12, 10, 9}) {
            if (Zlib.compressesWith(bits)) {
                measure("context takeover, server " + bits + " bits", false, bits, 15, n);
            }
        }
        for (int bits : new int[] {12, 11, 10, 9}) {
            if (Zlib.compressesWith(bits)) {
                measure("context takeover, both " + bits + " bits", false, bits, bits, n);
            }
        }
        measure("no context takeover (pool)", true, 15, 15, n);
    }

    private static void measure(String mode, boolean noContextTakeover, int serverBits, int clientBits, int n) {
        // One factory for both roles: as a client it offers client_max_window_bits=clientBits, as a
        // server it answers it.
        PerMessageDeflate factory = PerMessageDeflate.builder().serverNoContextTakeover(noContextTakeover)
                .clientNoContextTakeover(noContextTakeover).clientMaxWindowBits(clientBits).build();
        ExtensionParameters offer = factory.offers(CLIENT).get(0);
        if (serverBits < 15) {
            offer = offer.with("server_max_window_bits", Integer.toString(serverBits));
        }
        ByteBuffer message = JsonCorpus.messages().get(0);
        // What every server receives: a whole message, then the first frame of the next. Each
        // server's inflater sees the same stream, so one client makes it for all.
        Frame whole;
        Frame first;
        try (Extension agreed = factory.accept(offer, SERVER).orElseThrow();
             Extension client = factory.accepted(agreed.parameters(), CLIENT)) {
            whole = copy(client.encoder().encode(new Frame(true, 0, Opcode.TEXT, message.duplicate())));
            first = copy(client.encoder().encode(new Frame(false, 0, Opcode.TEXT, message.duplicate())));
        }
        int inUse = Zlib.inUse();
        List<Extension> servers = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                Extension server = factory.accept(offer, SERVER).orElseThrow();
                servers.add(server);
                server.decoder().decode(copy(whole));
                server.encoder().encode(new Frame(true, 0, Opcode.TEXT, message.duplicate()));
            }
            long idleBytes = held(servers);
            int idleContexts = Zlib.inUse() - inUse;
            int pooled = Zlib.pooled();
            for (Extension server : servers) {
                server.decoder().decode(copy(first));
                server.encoder().encode(new Frame(false, 0, Opcode.TEXT, message.duplicate()));
            }
            long activeBytes = held(servers);
            int activeContexts = Zlib.inUse() - inUse;
            System.out.printf("%-34s %,12d %,12d %14.2f %14.2f %12d%n", mode, idleBytes / n, activeBytes / n,
                    idleContexts / (double) n, activeContexts / (double) n, pooled);
        } finally {
            servers.forEach(Extension::close);
        }
    }

    private static Frame copy(Frame frame) {
        ByteBuffer payload = ByteBuffer.allocate(frame.payloadLength()).put(frame.payload().duplicate()).flip();
        return new Frame(frame.fin(), frame.rsv(), frame.opcode(), payload);
    }

    private static long held(List<Extension> servers) {
        long sum = 0;
        for (Extension e : servers) {
            sum += e.heldBytes();
        }
        return sum;
    }
}
