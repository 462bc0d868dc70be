package org.cllmlab.core.model;

/**
 * Where a backward pass accumulates parameter gradients. The backward pass opens one segment at a
 * time (see {@link ParameterLayout#segments()}), adds into the returned view, and closes it. A segment
 * may be opened more than once in one pass (the tied token embedding is written by the output head
 * first and by the embedding lookup last).
 *
 * <p>Strategies implement this: a full per-worker buffer, a shared buffer under a global lock, a
 * per-layer lock around a shared buffer, or a per-worker scratch that is added under the lock on
 * {@link #close}.
 */
public interface GradientSink {

    /** Opens {@code segment} for accumulation by the calling thread. */
    GradientView open(ParameterLayout.Segment segment);

    /** Ends accumulation into {@code segment}; {@code view} is the one {@link #open} returned. */
    void close(ParameterLayout.Segment segment, GradientView view);

    /**
     * A window on a gradient array: the gradient of parameter {@code p} accumulates into
     * {@code array[p - base]}.
     */
    record GradientView(float[] array, int base) {
        public int index(int parameterIndex) {
            return parameterIndex - base;
        }
    }

    /** A sink over one full-size buffer with no synchronisation (single-threaded or thread-owned). */
    static GradientSink of(float[] buffer) {
        GradientView view = new GradientView(buffer, 0);
        return new GradientSink() {
            @Override
            public GradientView open(ParameterLayout.Segment segment) {
                return view;
            }

            @Override
            public void close(ParameterLayout.Segment segment, GradientView v) {
            }
        };
    }
}
