package dev.weft.core.simd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Whether the hot loops of masking and UTF-8 validation run on the Vector API. Its classes are
 * compiled only when the build runs on JDK 22 or later, into {@code META-INF/versions/22} of core's
 * multi-release jar, and the Vector API is an incubator module that an application must enable
 * ({@code --add-modules jdk.incubator.vector}). So they are used only on JDK 22 or later, with that
 * module in the boot layer, and unless the system property {@value #PROPERTY} is {@code false};
 * otherwise, and on JDK 17, the scalar loops run. Decided once, when a class first asks.
 */
public final class Simd {

    /** The system property that, set to {@code false}, keeps the scalar loops. */
    public static final String PROPERTY = "weft.simd";

    private static final String MODULE = "jdk.incubator.vector";
    private static final int FIRST_RELEASE = 22;

    private static final System.Logger LOG = System.getLogger(Simd.class.getName());
    private static final boolean USABLE = usable(Runtime.version().feature(),
            ModuleLayer.boot().findModule(MODULE).isPresent(), System.getProperty(PROPERTY));

    private Simd() {
    }

    /** The rule, apart from the running JVM so that it can be tested. */
    static boolean usable(int feature, boolean modulePresent, String property) {
        return feature >= FIRST_RELEASE && modulePresent && !"false".equalsIgnoreCase(property);
    }

    /**
     * Makes the vector implementation of {@code type} named {@code simpleName} in the package of
     * {@code lookup}'s class, or returns null if the Vector API is not to be used or the class is
     * not there (core's classes unpacked or re-packed into a jar that is not multi-release).
     * Call it once, into a static final field, so that a call costs nothing more than the test
     * of that field.
     */
    public static <T> T load(MethodHandles.Lookup lookup, String simpleName, Class<T> type) {
        if (!USABLE) {
            return null;
        }
        Optional<Module> vector = ModuleLayer.boot().findModule(MODULE);
        // On the module path, dev.weft.core does not read the incubator module unless told to.
        vector.ifPresent(Simd.class.getModule()::addReads);
        String name = lookup.lookupClass().getPackageName() + "." + simpleName;
        try {
            Class<?> implementation = lookup.findClass(name);
            return type.cast(lookup.findConstructor(implementation, MethodType.methodType(void.class)).invoke());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> name + " is not usable, the scalar loop runs: " + e);
            return null;
        } catch (Throwable e) {
            throw new IllegalStateException(name, e);
        }
    }
}
