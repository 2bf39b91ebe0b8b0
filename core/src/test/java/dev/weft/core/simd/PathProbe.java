package dev.weft.core.simd;

import java.lang.reflect.Method;

/**
 * Run in a JVM of its own by {@link SimdPathTest}: prints the path masking and UTF-8 validation
 * took, as "masking utf8", e.g. "vector vector".
 */
public final class PathProbe {

    private PathProbe() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        System.out.println(path("dev.weft.core.frame.Masking") + " " + path("dev.weft.core.message.Utf8Validator"));
    }

    /** The package-private {@code path()} of a class; tests run on the class path, so it may be opened. */
    static String path(String className) throws ReflectiveOperationException {
        Method path = Class.forName(className).getDeclaredMethod("path");
        path.setAccessible(true);
        return (String) path.invoke(null);
    }
}
