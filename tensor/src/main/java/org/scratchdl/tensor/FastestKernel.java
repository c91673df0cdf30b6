package org.scratchdl.tensor;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses the fastest available {@link GemmKernel}, {@link PoolingKernel}, {@link ReluKernel},
 * {@link Im2ColKernel} and {@link AdamKernel} once, when first used.
 *
 * <p>The Vector API kernels are compiled separately (they need the incubating module
 * {@code jdk.incubator.vector}), so nothing else in this module names them: each is found as the
 * service this module declares in {@code META-INF/services/} under its interface's name, and only
 * asked for when the module is present. If the module is absent or the provider cannot be loaded,
 * the choice is the plain Java fallback ({@link EjmlGemm}, {@link ScalarPoolingKernel},
 * {@link ScalarReluKernel}, {@link ScalarIm2ColKernel}, {@link ScalarAdamKernel}).
 */
final class FastestKernel {
    /** The name of the module the fast kernel needs. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** The chosen matrix-multiply kernel. */
    static final GemmKernel INSTANCE = choose(GemmKernel.class, EjmlGemm.INSTANCE);
    /** The chosen pooling kernel. */
    static final PoolingKernel POOLING = choose(PoolingKernel.class, ScalarPoolingKernel.INSTANCE);
    /** The chosen ReLU kernel. */
    static final ReluKernel RELU = choose(ReluKernel.class, ScalarReluKernel.INSTANCE);
    /** The chosen im2col kernel. */
    static final Im2ColKernel IM2COL = choose(Im2ColKernel.class, ScalarIm2ColKernel.INSTANCE);
    /** The chosen Adam kernel. */
    static final AdamKernel ADAM = choose(AdamKernel.class, ScalarAdamKernel.INSTANCE);

    private FastestKernel() {
    }

    /** Whether {@link #VECTOR_MODULE} is in the boot module layer of this JVM. */
    static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    private static <T> T choose(Class<T> service, T fallback) {
        if (!vectorModulePresent()) {
            return fallback;
        }
        try {
            for (T kernel : ServiceLoader.load(service, FastestKernel.class.getClassLoader())) {
                return kernel;
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            return fallback;
        }
        return fallback;
    }
}
