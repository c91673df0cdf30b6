package org.scratchdl.tensor;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses {@link GemmKernel#fastest()} once, when first used.
 *
 * <p>The Vector API kernel is compiled separately (it needs the incubating module
 * {@code jdk.incubator.vector}), so nothing else in this module names it: it is found as the
 * {@link GemmKernel} service this module declares in
 * {@code META-INF/services/org.scratchdl.tensor.GemmKernel}, and only asked for when the module is
 * present. If the module is absent or the provider cannot be loaded, the choice is
 * {@link EjmlGemm}.
 */
final class FastestKernel {
    /** The name of the module the fast kernel needs. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** The chosen kernel. */
    static final GemmKernel INSTANCE = choose();

    private FastestKernel() {
    }

    /** Whether {@link #VECTOR_MODULE} is in the boot module layer of this JVM. */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    private static GemmKernel choose() {
        if (!vectorModulePresent()) {
            return EjmlGemm.INSTANCE;
        }
        try {
            for (GemmKernel kernel : ServiceLoader.load(GemmKernel.class, FastestKernel.class.getClassLoader())) {
                return kernel;
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            return EjmlGemm.INSTANCE;
        }
        return EjmlGemm.INSTANCE;
    }
}
