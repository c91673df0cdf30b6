/**
 * Extending scratchdl from outside the library: {@link org.scratchdl.examples.custom.Swish}, a
 * layer with a learnable parameter, {@link org.scratchdl.examples.custom.SwishProvider}, which
 * registers it for loading saved models, and {@link org.scratchdl.examples.custom.SwishExample},
 * which trains, saves and reloads a network that uses it. The README's section "Writing your own
 * layer" walks through these files.
 */
package org.scratchdl.examples.custom;
