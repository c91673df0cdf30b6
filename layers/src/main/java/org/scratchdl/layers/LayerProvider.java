package org.scratchdl.layers;

/**
 * A {@link java.util.ServiceLoader} service through which a library of custom layers registers
 * them with {@link LayerRegistry#withInstalledProviders()}.
 */
public interface LayerProvider {

    /**
     * Registers this provider's layer types.
     *
     * @param registry the registry to add them to (modified)
     * @throws IllegalArgumentException if the registry already knows one of the type names
     */
    void registerLayers(LayerRegistry registry);
}
