package org.cllmlab.core.kernel;

/**
 * The one seam that carries all dense math. Implementations must be stateless or thread-safe: many
 * workers call them at once on disjoint outputs.
 *
 * <p>Matrices are row-major float arrays addressed by an offset and a leading dimension (the distance
 * between the starts of two consecutive rows), as in BLAS {@code sgemm}.
 */
public interface Kernels {

    /** The names {@link #byName} knows, in order of preference for speed (slowest first). */
    java.util.List<String> NAMES = java.util.List.of("reference", "blocked", "vector");

    /** The JVM flag that makes the Vector API, and so the {@code vector} kernels, available. */
    String VECTOR_FLAG = "--add-modules jdk.incubator.vector";

    /** Whether this JVM resolved the Vector API module ({@link #VECTOR_FLAG}). */
    static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The kernel called {@code name}: {@code reference} ({@link ReferenceKernels}, the test oracle),
     * {@code blocked} ({@link BlockedKernels}, pure Java) or {@code vector} ({@link VectorKernels}, the
     * Vector API; needs {@link #VECTOR_FLAG}). Fails with the list of known names, or, for {@code vector}
     * in a JVM without the module, with the flag it needs.
     */
    static Kernels byName(String name) {
        return switch (name) {
            case "reference" -> new ReferenceKernels();
            case "blocked" -> new BlockedKernels();
            case "vector" -> {
                if (!vectorApiAvailable()) {
                    throw new IllegalArgumentException("kernels: 'vector' needs the Vector API, which this JVM "
                            + "was started without; start it with " + VECTOR_FLAG + " (./lab does), or use "
                            + "--kernels blocked");
                }
                yield new VectorKernels();
            }
            default -> throw new IllegalArgumentException("kernels: '" + name + "' is unknown; expected one of "
                    + String.join(", ", NAMES));
        };
    }

    /** A short name for reports, e.g. {@code reference}, {@code blocked} or {@code vector}. */
    String name();

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}, where {@code op(X)} is {@code X} or {@code Xᵀ}.
     * {@code op(A)} is {@code m × k}, {@code op(B)} is {@code k × n}, {@code C} is {@code m × n}.
     * With {@code beta == 0} the old contents of {@code C} are ignored (even NaN).
     *
     * @param transA whether A is stored as {@code k × m}
     * @param transB whether B is stored as {@code n × k}
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);
}
