package org.scratchdl.layers;

/**
 * A {@link java.util.ServiceLoader} service through which a library of custom layers registers
 * them with {@link LayerRegistry#withInstalledProviders()}.
 */
public interface LayerProvider {

    /** Registers this provider's layer types. */
    void registerLayers(LayerRegistry registry);
}
