package org.cllmlab.core.results;

/**
 * A component of a run that came from a plug-in jar rather than from the project.
 *
 * @param kind   the spec field it fills: {@code strategy}, {@code threads}, {@code hierarchy}, {@code caches}
 *               or {@code kernels}
 * @param name   its registered name
 * @param jar    the plug-in jar's file name
 * @param sha256 the SHA-256 of the jar's bytes, hex
 */
public record PluginUse(String kind, String name, String jar, String sha256) {
}
