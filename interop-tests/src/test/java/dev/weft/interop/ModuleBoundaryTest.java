package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.cluster.Rooms;
import dev.weft.core.session.Session;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine is internal (issue 14): an application on the module path that requires only
 * {@code dev.weft.transport.nio} compiles and runs against the api and the transport, and cannot
 * name an engine type, whether it reads {@code dev.weft.core} through the transport (it does not)
 * or requires it itself (the engine's packages are exported only to Weft's own modules).
 */
class ModuleBoundaryTest {

    private static final String APPLICATION = """
            package app;

            import dev.weft.api.Connection;
            import dev.weft.api.WebSocketHandler;
            import dev.weft.api.handshake.Headers;
            import dev.weft.api.handshake.Interceptors;
            import dev.weft.transport.nio.WebSocketClient;
            import dev.weft.transport.nio.WebSocketServer;
            import java.net.URI;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.TimeUnit;

            public final class Echo {
                /** Starts an echo server, sends it {@code text} and returns what came back. */
                public static String echo(String text) throws Exception {
                    try (WebSocketServer server = WebSocketServer.builder()
                                .bind("127.0.0.1", 0)
                                .interceptor(Interceptors.allowOrigins("https://app.example"))
                                .endpoint("/echo", () -> new WebSocketHandler() {
                                    @Override public void onText(Connection c, String message) { c.sendText(message); }
                                })
                                .build()
                                .start();
                         WebSocketClient client = WebSocketClient.builder().build()) {
                        CompletableFuture<String> echoed = new CompletableFuture<>();
                        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
                        Connection c = client.connect(uri, Headers.of("Origin", "https://app.example"),
                                new WebSocketHandler() {
                                    @Override public void onText(Connection c, String message) { echoed.complete(message); }
                                }).get(10, TimeUnit.SECONDS);
                        c.sendText(text);
                        String answer = echoed.get(10, TimeUnit.SECONDS);
                        c.close().get(10, TimeUnit.SECONDS);
                        return answer;
                    }
                }
                %s
            }
            """;

    /** The engine import the application must not get past; a field uses it in a declaration. */
    private static final String ENGINE_IMPORT = "import dev.weft.core.session.Session;\n";

    @Test
    void anApplicationRequiringOnlyTheTransportCompilesAndRuns(@TempDir Path dir) throws Exception {
        ApplicationCompiler compiler = apiCoreAndNio(dir);
        ApplicationCompiler.Result result = compiler.compileModule(Map.of(
                "module-info.java", "module app { requires dev.weft.transport.nio; }",
                "app/Echo.java", APPLICATION.formatted("")));

        assertTrue(result.success() && result.errors().isEmpty(), result.report());
        assertEquals("hello", runEcho(compiler, "hello"));
    }

    @Test
    void anApplicationCannotImportTheEngineThroughTheTransport(@TempDir Path dir) {
        ApplicationCompiler.Result result = apiCoreAndNio(dir).compileModule(Map.of(
                "module-info.java", "module app { requires dev.weft.transport.nio; }",
                "app/Echo.java", withEngineImport()));

        // transport-nio requires core without re-exporting it: the application does not read core.
        assertOnlyEngineNotVisible(result, "but module app does not read it");
    }

    @Test
    void anApplicationCannotImportTheEngineEvenRequiringCore(@TempDir Path dir) {
        ApplicationCompiler.Result result = apiCoreAndNio(dir).compileModule(Map.of(
                "module-info.java", "module app { requires dev.weft.transport.nio; requires dev.weft.core; }",
                "app/Echo.java", withEngineImport()));

        // Reading core is not enough: its engine packages are exported only to Weft's modules.
        assertOnlyEngineNotVisible(result, "which does not export it to module app");
    }

    /** The module path an application of transport-nio has: api, core and cluster (nio needs them) and nio. */
    private static ApplicationCompiler apiCoreAndNio(Path dir) {
        return new ApplicationCompiler(dir)
                .withModule("dev.weft.api", Connection.class)
                .withModule("dev.weft.core", Session.class)
                .withModule("dev.weft.cluster", Rooms.class) // the servers' rooms
                .withModule("dev.weft.transport.nio", WebSocketServer.class);
    }

    private static String withEngineImport() {
        return APPLICATION.formatted("static Session engine;").replace("package app;\n", "package app;\n" + ENGINE_IMPORT);
    }

    /**
     * The compilation failed, and only because {@code dev.weft.core.session} is not visible for
     * {@code reason}: not for a missing symbol or any other mistake in the application.
     */
    private static void assertOnlyEngineNotVisible(ApplicationCompiler.Result result, String reason) {
        assertFalse(result.success(), result.report());
        List<Diagnostic<? extends JavaFileObject>> errors = result.errors();
        assertFalse(errors.isEmpty(), result.report());
        for (Diagnostic<? extends JavaFileObject> error : errors) {
            String message = error.getMessage(Locale.ROOT);
            assertEquals("compiler.err.package.not.visible", error.getCode(), result.report());
            assertTrue(message.startsWith("package dev.weft.core.session is not visible"), result.report());
            assertTrue(message.contains("package dev.weft.core.session is declared in module dev.weft.core, " + reason),
                    result.report());
        }
    }

    /**
     * Runs the compiled application in a module layer of its own over the same module path (its
     * loader's parent is the platform loader, so nothing comes from this test's class path), and
     * returns what its echo brought back.
     */
    private static String runEcho(ApplicationCompiler compiler, String text) throws Exception {
        List<Path> modulePath = new ArrayList<>(compiler.modulePath());
        modulePath.add(compiler.classes());
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(
                ModuleFinder.of(modulePath.toArray(Path[]::new)), ModuleFinder.of(), Set.of("app"));
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(
                configuration, List.of(boot), ClassLoader.getPlatformClassLoader());
        Module app = controller.layer().findModule("app").orElseThrow();
        controller.addOpens(app, "app", ModuleBoundaryTest.class.getModule());
        Method echo = app.getClassLoader().loadClass("app.Echo").getMethod("echo", String.class);

        // Extensions are looked up with the context loader: let it be the application's.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(app.getClassLoader());
        try {
            return (String) echo.invoke(null, text);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
