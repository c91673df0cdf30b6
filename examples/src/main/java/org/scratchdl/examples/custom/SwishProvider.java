package org.scratchdl.examples.custom;

import org.scratchdl.layers.LayerProvider;
import org.scratchdl.layers.LayerRegistry;

/**
 * Makes {@link Swish} known to {@link LayerRegistry#withInstalledProviders()}, which the
 * {@code scratchdl evaluate} and {@code summary} commands use to load models.
 *
 * <p>{@link java.util.ServiceLoader} finds this class through the file
 * {@code META-INF/services/org.scratchdl.layers.LayerProvider} on the class path, which names it;
 * it therefore needs to be public with a public no-argument constructor.
 */
public final class SwishProvider implements LayerProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public SwishProvider() {
    }

    /**
     * Registers {@link Swish#TYPE} with {@link Swish#fromSpec}.
     *
     * @throws IllegalArgumentException if the registry already knows a type named {@value Swish#TYPE}
     */
    @Override
    public void registerLayers(LayerRegistry registry) {
        registry.register(Swish.TYPE, Swish::fromSpec);
    }
}
