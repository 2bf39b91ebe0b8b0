package dev.weft.benchmarks.peers;

/**
 * The command line both peer servers take: {@code --port N} (default 0, an ephemeral port) and
 * {@code --threads N} (default: one per processor, like {@code weft serve}).
 *
 * @param port the port to bind on 127.0.0.1; 0 picks a free one
 * @param threads the I/O threads: event loops for Netty, selectors for Jetty
 */
record PeerOptions(int port, int threads) {

    static final String HOST = "127.0.0.1";
    static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

    /** The options, or, after a usage message on standard error, exit status 2. */
    static PeerOptions parseOrExit(String name, String[] args) {
        try {
            return parse(name, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    static PeerOptions parse(String name, String[] args) {
        int port = 0;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                System.out.println("usage: " + name + " [--port N] [--threads N]");
                System.exit(0);
            }
            if (i + 1 == args.length) {
                throw usage(name, "missing value for " + option);
            }
            int value;
            try {
                value = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
                throw usage(name, option + " takes a number: " + args[i]);
            }
            switch (option) {
                case "--port" -> port = value;
                case "--threads" -> threads = value;
                default -> throw usage(name, "unknown option " + option);
            }
        }
        if (port < 0 || port > 65535 || threads < 1) {
            throw usage(name, "--port takes 0..65535 and --threads at least 1");
        }
        return new PeerOptions(port, threads);
    }

    private static IllegalArgumentException usage(String name, String problem) {
        return new IllegalArgumentException(problem + "; usage: " + name + " [--port N] [--threads N]");
    }

    /** The line a script waits for on standard output. */
    static void announce(int port) {
        System.out.println("listening on " + HOST + ":" + port);
        System.out.flush();
    }
}
