/**
 * The {@code weft} command: a demo server, a command-line client, a load generator and an
 * Autobahn|Testsuite client testee, on the NIO transport or the blocking one. Its command classes are
 * read and filled in by picocli.
 */
// HdrHistogram has no module descriptor: it is an automatic module, named after its jar.
@SuppressWarnings("requires-automatic")
module dev.weft.cli {
    requires dev.weft.transport.nio;
    requires dev.weft.transport.tls;
    requires dev.weft.transport.blocking;
    requires dev.weft.metrics.micrometer;
    requires micrometer.registry.prometheus;
    requires info.picocli;
    requires HdrHistogram;
    requires org.jline.reader;
    requires org.jline.terminal;
    requires java.logging;

    // picocli sets the annotated option fields of the commands by reflection.
    opens dev.weft.cli.command to info.picocli;
    // StaticResources reads the page through the class loader, which sees a named module's
    // resources only in packages that are open to everyone.
    opens dev.weft.cli.web;
}
