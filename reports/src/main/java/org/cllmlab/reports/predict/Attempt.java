package org.cllmlab.reports.predict;

/**
 * The outcome of something that may refuse: a value, or the reason there is none, in words a report can
 * print as they are ("no CPU time per worker ...").
 *
 * @param value   the value, or null when refused
 * @param refusal why there is no value, or null when there is one
 */
public record Attempt<T>(T value, String refusal) {

    public Attempt {
        if ((value == null) == (refusal == null)) {
            throw new IllegalArgumentException("attempt: value " + value + ", refusal " + refusal
                    + "; expected exactly one of them");
        }
    }

    public static <T> Attempt<T> of(T value) {
        return new Attempt<>(value, null);
    }

    public static <T> Attempt<T> refused(String why) {
        return new Attempt<>(null, why);
    }

    public boolean ok() {
        return value != null;
    }

    /** The value; an {@link IllegalStateException} carrying the refusal when there is none. */
    public T orElseThrow() {
        if (value == null) {
            throw new IllegalStateException(refusal);
        }
        return value;
    }
}
