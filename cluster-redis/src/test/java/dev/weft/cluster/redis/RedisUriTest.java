package dev.weft.cluster.redis;

import dev.weft.api.tls.ClientTls;
import dev.weft.api.tls.SelfSignedCertificate;
import dev.weft.cluster.Broker;
import dev.weft.cluster.BrokerException;
import dev.weft.cluster.BrokerFactory;
import dev.weft.cluster.redis.RedisBrokerTest.Recording;
import dev.weft.testing.RedisServer;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a Redis URI configures, against private, real redis-servers: TLS ({@code rediss://} with a
 * {@link ClientTls}), a password, and the database.
 */
class RedisUriTest extends RedisTestCase {

    private static final String CHANNEL = "weft:room:uri";


    @Test
    void tlsBrokersTrustingRedisCertificateExchangeMessages() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create();
        RedisServer redis = closed(RedisServer.startTls(certificate, directory));
        ClientTls tls = ClientTls.trusting(certificate.certificateFile());
        Recording a = new Recording();
        Recording b = new Recording();
        Broker nodeA = started(RedisBroker.create(redis.uri(), tls), a);
        Broker nodeB = started(BrokerFactory.forUri(redis.uri(), tls), b);

        await(nodeB.subscribe(CHANNEL));
        assertEquals(1, redis.subscribers(CHANNEL), "asked over TLS too");
        await(nodeA.publish(CHANNEL, bytes("over TLS")));

        assertEquals("over TLS", text(b.next().message()));
        assertEquals("rediss://127.0.0.1:" + redis.port() + "/0", nodeA.describe());
        assertTrue(nodeA.health().up(), nodeA.health().toString());
    }

    @Test
    void aTlsBrokerNotTrustingRedisCertificateFailsToStartSayingSoWithoutThePassword() throws Exception {
        RedisServer redis = closed(RedisServer.startTls(SelfSignedCertificate.create(), directory));
        String password = "s3cret-Tls-Pa55word";
        URI uri = URI.create("rediss://:" + password + "@127.0.0.1:" + redis.port());

        // The JDK's trust store, given or by default, knows nothing of a self-signed certificate.
        for (RedisBroker broker : List.of(RedisBroker.create(uri, ClientTls.defaults()), RedisBroker.create(uri))) {
            closing.add(broker);
            BrokerException e = assertThrows(BrokerException.class, () -> broker.start(new Recording()));

            assertTrue(e.getMessage().contains("rediss://127.0.0.1:" + redis.port() + "/0"), e.getMessage());
            assertTrue(e.getMessage().contains("certificate is not trusted"), e.getMessage());
            assertFalse(stackTrace(e).contains(password), stackTrace(e));
        }
    }

    @Test
    void theHostNameIsCheckedUnlessTheClientTlsSaysOtherwise() throws Exception {
        SelfSignedCertificate elsewhere = SelfSignedCertificate.create("redis.example", "dns:redis.example");
        RedisServer redis = closed(RedisServer.startTls(elsewhere, directory));
        URI uri = redis.uri();

        RedisBroker checking = closed(RedisBroker.create(uri, ClientTls.trusting(elsewhere.certificateFile())));
        BrokerException e = assertThrows(BrokerException.class, () -> checking.start(new Recording()));
        assertTrue(e.getMessage().contains("certificate was refused"), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());

        Recording listener = new Recording();
        Broker insecure = started(RedisBroker.create(uri, ClientTls.insecure()), listener);
        await(insecure.subscribe(CHANNEL));
        await(insecure.publish(CHANNEL, bytes("unchecked")));
        assertEquals("unchecked", text(listener.next().message()));
        // Lettuce's own option says the same, and is the same ClientTls.
        started(RedisBroker.create(URI.create(uri + "?verifyPeer=NONE")), new Recording());
    }

    @Test
    void tlsSettingsNeedARedissUriAndReplaceItsVerifyPeer() throws Exception {
        ClientTls tls = ClientTls.defaults();

        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> RedisBroker.create(URI.create("redis://:pw@127.0.0.1:6390"), tls));
        assertTrue(plain.getMessage().contains("without TLS"), plain.getMessage());
        assertTrue(plain.getMessage().contains("rediss://127.0.0.1:6390"), plain.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BrokerFactory.forUri(URI.create("redis://127.0.0.1:6390"), tls));
        IllegalArgumentException verifyPeer = assertThrows(IllegalArgumentException.class,
                () -> RedisBroker.create(URI.create("rediss://127.0.0.1:6390?verifyPeer=NONE"), tls));
        assertTrue(verifyPeer.getMessage().contains("ClientTls"), verifyPeer.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RedisBroker.create(URI.create("rediss://127.0.0.1:6390?verifyPeer=CA")));
    }

    @Test
    void aPasswordInTheUriIsSentAndAWrongOneIsAClearErrorWithoutIt() throws Exception {
        String password = "r1ght-Pa55word";
        String wrong = "wr0ng-Pa55word";
        RedisServer redis = closed(RedisServer.startOn(RedisServer.freePort(), password, directory));
        URI right = URI.create("redis://:" + password + "@127.0.0.1:" + redis.port());
        URI bad = URI.create("redis://:" + wrong + "@127.0.0.1:" + redis.port());

        Recording listener = new Recording();
        Broker broker = started(RedisBroker.create(right), listener);
        await(broker.subscribe(CHANNEL));
        await(broker.publish(CHANNEL, bytes("authenticated")));
        assertEquals("authenticated", text(listener.next().message()));

        RedisBroker refused = closed(RedisBroker.create(bad));
        BrokerException e = assertThrows(BrokerException.class, () -> refused.start(new Recording()));
        assertTrue(e.getMessage().contains("redis://127.0.0.1:" + redis.port()), e.getMessage());
        assertTrue(e.getMessage().contains("WRONGPASS"), e.getMessage());
        assertFalse(stackTrace(e).contains(wrong), stackTrace(e));
        assertFalse(stackTrace(e).contains(password), stackTrace(e));
    }

    /**
     * Redis Pub/Sub is not scoped by database: a message published on one reaches subscribers on
     * every other. The {@code /db} of the URI selects a database for the connection, and the rooms
     * use no keys; clusters that share a Redis are kept apart by their channel prefix.
     */
    @Test
    void theDatabaseDoesNotSeparatePubSub() throws Exception {
        RedisServer redis = closed(RedisServer.start(directory));
        URI one = URI.create(redis.uri() + "/1");
        URI two = URI.create(redis.uri() + "/2");
        Recording a = new Recording();
        Recording b = new Recording();
        Recording c = new Recording();
        Broker publisher = started(RedisBroker.create(one), a);
        Broker sameDatabase = started(RedisBroker.create(one), b);
        Broker otherDatabase = started(RedisBroker.create(two), c);
        await(sameDatabase.subscribe(CHANNEL));
        await(otherDatabase.subscribe(CHANNEL));

        await(publisher.publish(CHANNEL, bytes("to every database")));

        assertEquals("to every database", text(b.next().message()));
        assertEquals("to every database", text(c.next().message()), "database 2 hears database 1");
        assertEquals("redis://127.0.0.1:" + redis.port() + "/2", otherDatabase.describe());
    }

    // --- helpers

    private <T extends AutoCloseable> T closed(T resource) {
        closing.add(resource);
        return resource;
    }

    private Broker started(Broker broker, Recording listener) throws BrokerException, InterruptedException {
        closing.add(broker);
        broker.start(listener);
        assertTrue(listener.health().up(), "told it is up once started");
        return broker;
    }

    private static void await(CompletionStage<Void> stage) throws Exception {
        stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] message) {
        return new String(message, StandardCharsets.UTF_8);
    }

    private static String stackTrace(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
