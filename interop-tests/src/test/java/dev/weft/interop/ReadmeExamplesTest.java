package dev.weft.interop;

import dev.weft.api.Connection;
import dev.weft.cluster.Rooms;
import dev.weft.core.session.Session;
import dev.weft.transport.blocking.BlockingWebSocket;
import dev.weft.transport.nio.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's server and client examples compile as written against {@code weft-api} and {@code
 * weft-transport-nio} alone, its socket-adoption example against {@code weft-api} and {@code
 * weft-transport-blocking}, and its in-memory example against {@code weft-api} and {@code
 * weft-testing} (issue 14). Each example is a whole source file with no package line, and is
 * compiled twice, with Weft's modules on the module path and nothing on the class path:
 * <ul>
 *   <li>as written, in the unnamed module, with the transport (or testing) module as the root
 *       ({@code --add-modules}), as an application without a module-info of its own is built;</li>
 *   <li>with a package line before it, in a module that requires only that root module. The
 *       unnamed module reads every module resolved, core included, so only this compilation shows
 *       that the example names nothing the root module does not give it.</li>
 * </ul>
 */
class ReadmeExamplesTest {

    /** Maven runs the tests in the module's directory, {@code interop-tests/}. */
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("^public (?:final )?class (\\w+)", Pattern.MULTILINE);

    @Test
    void theServerExampleCompilesAgainstApiAndTransportNio(@TempDir Path dir) throws IOException {
        assertCompiles(dir, ReadmeExamplesTest::apiCoreAndNio, "HelloServer", "dev.weft.transport.nio");
    }

    @Test
    void theClientExampleCompilesAgainstApiAndTransportNio(@TempDir Path dir) throws IOException {
        assertCompiles(dir, ReadmeExamplesTest::apiCoreAndNio, "HelloClient", "dev.weft.transport.nio");
    }

    @Test
    void theSocketAdoptionExampleCompilesAgainstApiAndTransportBlocking(@TempDir Path dir) throws IOException {
        assertCompiles(dir, d -> new ApplicationCompiler(d)
                        .withModule("dev.weft.api", Connection.class)
                        .withModule("dev.weft.core", Session.class)
                        .withModule("dev.weft.cluster", Rooms.class)
                        .withModule("dev.weft.transport.blocking", BlockingWebSocket.class),
                "AdoptSocket", "dev.weft.transport.blocking");
    }

    @Test
    void theInMemoryExampleCompilesAgainstApiAndTesting(@TempDir Path dir) throws IOException {
        Class<?> inMemoryPair = testingClass("dev.weft.testing.InMemoryPair");
        assumeTrue(inMemoryPair != null, "weft-testing (module dev.weft.testing) is not on the test class path yet");
        assertCompiles(dir, d -> new ApplicationCompiler(d)
                        .withModule("dev.weft.api", Connection.class)
                        .withModule("dev.weft.core", Session.class) // weft-testing depends on it
                        .withModule("dev.weft.testing", inMemoryPair),
                "HelloInMemory", "dev.weft.testing");
    }

    /** The module path of an application of transport-nio: api, core and cluster (nio needs them) and nio. */
    private static ApplicationCompiler apiCoreAndNio(Path dir) {
        return new ApplicationCompiler(dir)
                .withModule("dev.weft.api", Connection.class)
                .withModule("dev.weft.core", Session.class)
                .withModule("dev.weft.cluster", Rooms.class) // the servers' rooms
                .withModule("dev.weft.transport.nio", WebSocketServer.class);
    }

    private static void assertCompiles(Path dir, Function<Path, ApplicationCompiler> modules, String className,
                                       String rootModule) throws IOException {
        String example = example(className);
        ApplicationCompiler asWritten = modules.apply(dir.resolve("as-written"));
        assertSuccess(className + ", as written,", example, asWritten.modulePath(),
                asWritten.compileUnnamed(Map.of(className + ".java", example), rootModule));

        ApplicationCompiler inModule = modules.apply(dir.resolve("in-module"));
        assertSuccess(className + ", in a module that requires only " + rootModule + ",", example,
                inModule.modulePath(), inModule.compileModule(Map.of(
                        "module-info.java", "module readme { requires " + rootModule + "; }",
                        "readme/" + className + ".java", "package readme;\n" + example)));
    }

    private static void assertSuccess(String what, String example, List<Path> modulePath,
                                      ApplicationCompiler.Result result) {
        assertTrue(result.success() && result.errors().isEmpty(), "the README's " + what
                + " does not compile against " + modulePath + "\n" + result.report() + "\n" + example);
    }

    /** The README's Java code block that declares {@code public class className}, whole. */
    private static String example(String className) throws IOException {
        if (!Files.isRegularFile(README)) {
            fail("no README.md at " + README.toAbsolutePath().normalize()
                    + ": these tests expect to run in interop-tests/, under the repository root");
        }
        List<String> declaring = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(Files.readString(README));
        while (block.find()) {
            Matcher declared = PUBLIC_CLASS.matcher(block.group(1));
            if (declared.find() && declared.group(1).equals(className)) {
                declaring.add(block.group(1));
            }
        }
        assertEquals(1, declaring.size(), "Java code blocks declaring public class " + className + " in " + README);
        return declaring.get(0);
    }

    /** The class from weft-testing, or null while that module is not on the class path. */
    private static Class<?> testingClass(String name) {
        try {
            return Class.forName(name, false, ReadmeExamplesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
