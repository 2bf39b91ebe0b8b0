package dev.weft.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.function.Consumer;

/** The byte copying and daemon threads that the test's TCP middlemen share. */
final class Pipes {

    private Pipes() {
    }

    /** Copies until {@code from} ends, then ends {@code to}'s output. */
    static void relay(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // One side is gone; closing the connection ends the other direction.
        }
    }

    /** Accepts connections until {@code listener} is closed, handing each to {@code accepted}. */
    static void acceptUntilClosed(ServerSocket listener, Consumer<Socket> accepted) {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.accept(client);
        }
    }

    /** Stops listening, then ends every connection still open. */
    static void closeAll(ServerSocket listener, Set<Socket> sockets) throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
