package dev.weft.core.simd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which loops run: the Vector API ones on JDK 22 and later when the incubator module is enabled
 * and {@code weft.simd} is not false, else the scalar ones. Checked in this JVM and in JVMs started
 * with and without the module and the property. The Maven profile for JDK 22 and later runs the
 * tests with the module enabled, so there this JVM takes the vector path.
 */
class SimdPathTest {

    private static final boolean VECTOR_RELEASE = Runtime.version().feature() >= 22;

    @ParameterizedTest
    @CsvSource(nullValues = "null", textBlock = """
            17, true,  null,  false
            21, true,  null,  false
            22, false, null,  false
            22, true,  null,  true
            25, true,  true,  true
            25, true,  false, false
            25, true,  FALSE, false
            """)
    void usesTheVectorApiOnlyFromJdk22WithTheModuleUnlessTurnedOff(int feature, boolean module, String property,
                                                                   boolean expected) {
        assertEquals(expected, Simd.usable(feature, module, property));
    }

    @Test
    void thisJvmTakesThePathItsRuntimeAllows() throws ReflectiveOperationException {
        boolean vector = VECTOR_RELEASE && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !"false".equals(System.getProperty(Simd.PROPERTY));
        String expected = vector ? "vector" : "scalar";
        assertEquals(expected, PathProbe.path("dev.weft.core.frame.Masking"));
        assertEquals(expected, PathProbe.path("dev.weft.core.message.Utf8Validator"));
    }

    @Test
    void aJvmWithTheModuleTakesTheVectorPathFromJdk22() throws Exception {
        String expected = VECTOR_RELEASE ? "vector vector" : "scalar scalar";
        assertEquals(expected, probe("--add-modules", "jdk.incubator.vector"));
    }

    @Test
    void aJvmWithTheModuleAndWeftSimdFalseTakesTheScalarPath() throws Exception {
        assertEquals("scalar scalar", probe("--add-modules", "jdk.incubator.vector", "-Dweft.simd=false"));
    }

    @Test
    void aJvmWithoutTheModuleTakesTheScalarPath() throws Exception {
        assertEquals("scalar scalar", probe());
    }

    /** Runs {@link PathProbe} in a new JVM of this JDK with this class path and the given options. */
    private static String probe(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), PathProbe.class.getName()));
        // The JDK's warning about incubator modules goes to standard error, left to the console.
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream out = process.getInputStream()) {
            String printed = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, process.waitFor());
            return printed;
        }
    }
}
