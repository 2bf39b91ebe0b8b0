package dev.weft.interop;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compiles a small application the way a user's build would: its sources written to a directory,
 * Weft's modules on the module path (found where this test's class path has them: {@code
 * target/classes} directories or jars, both valid module-path entries) and nothing on the class
 * path, javac from the JDK running the test, {@code --release 17}.
 */
final class ApplicationCompiler {

    private final Path sources;
    private final Path classes;
    private final List<Path> modulePath = new ArrayList<>();

    /** Sources go under {@code dir/src}, class files under {@code dir/classes}. */
    ApplicationCompiler(Path dir) {
        this.sources = dir.resolve("src");
        this.classes = dir.resolve("classes");
    }

    /**
     * Puts the module named {@code moduleName} on the module path, from wherever {@code member}, one
     * of its classes, was loaded. Fails if that place does not hold that module (a module-info
     * missing or renamed), so no test passes on a module path that is not the one it meant.
     */
    ApplicationCompiler withModule(String moduleName, Class<?> member) {
        Path location;
        try {
            location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (ModuleFinder.of(location).find(moduleName).isEmpty()) {
            throw new AssertionError(location + " (where " + member.getName() + " comes from) holds no module "
                    + moduleName + ": " + ModuleFinder.of(location).findAll());
        }
        modulePath.add(location);
        return this;
    }

    /** The directory that receives the class files, itself a module-path entry once compiled. */
    Path classes() {
        return classes;
    }

    /** The Weft modules put on the module path, in order. */
    List<Path> modulePath() {
        return List.copyOf(modulePath);
    }

    /**
     * Compiles {@code files} (path under the source directory → content) as one named module: one
     * of them must be its {@code module-info.java}.
     */
    Result compileModule(Map<String, String> files) {
        return compile(files, List.of());
    }

    /**
     * Compiles {@code files} on the class path, in the unnamed module, as code with no module-info
     * of its own is compiled; {@code rootModule} is resolved from the module path (with what it
     * requires), as {@code --add-modules} would be given to such an application.
     */
    Result compileUnnamed(Map<String, String> files, String rootModule) {
        return compile(files, List.of("--add-modules", rootModule));
    }

    private Result compile(Map<String, String> files, List<String> extraOptions) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new AssertionError("no system Java compiler: these tests need a JDK, not a JRE");
        }
        List<Path> written = write(files);
        List<String> options = new ArrayList<>(List.of(
                "--release", "17",
                "-proc:none",
                "-d", classes.toString(),
                "--module-path", modulePath.stream().map(Path::toString)
                        .collect(Collectors.joining(java.io.File.pathSeparator))));
        options.addAll(extraOptions);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            // Left unset, the class path would be this test's own, where every Weft package is visible.
            fileManager.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of());
            boolean ok = javac.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(written)).call();
            return new Result(ok, diagnostics.getDiagnostics());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> write(Map<String, String> files) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(classes);
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = sources.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
                written.add(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    /** What javac said. */
    record Result(boolean success, List<Diagnostic<? extends JavaFileObject>> diagnostics) {

        List<Diagnostic<? extends JavaFileObject>> errors() {
            return diagnostics.stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
        }

        /** Every diagnostic as javac prints it, for failure messages. */
        String report() {
            return diagnostics.stream()
                    .map(d -> d.getKind() + " [" + d.getCode() + "] "
                            + (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                            + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n", "javac said:\n", "\n"));
        }
    }
}
