package org.cllmlab.core.results;

import java.util.Objects;

/**
 * One line of a memory breakdown.
 *
 * @param name  e.g. {@code parameters}, {@code heap.other}, {@code jvm.thread}, {@code file-backed}, {@code unaccounted}
 * @param group {@code ledger}, {@code heap}, {@code jvm}, {@code file} or {@code residual}
 * @param kind  what the bytes measure
 * @param bytes the figure; may be negative only for the residual
 * @param note  how it was measured (free text, may be empty)
 */
public record MemoryRow(String name, String group, MemoryKind kind, long bytes, String note) {
    public MemoryRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(kind, "kind");
        note = note == null ? "" : note;
    }
}
