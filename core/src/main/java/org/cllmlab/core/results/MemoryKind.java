package org.cllmlab.core.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a memory figure measures. Never print one where another is meant: the original trainer's
 * "thread stacks 520 MB" was {@link #RESERVED}, not {@link #RESIDENT}.
 */
public enum MemoryKind {
    /** Virtual address space set aside (may never be touched). */
    RESERVED,
    /** Memory the JVM or OS has backed or promised (NMT "committed", heap committed). */
    COMMITTED,
    /** Pages actually in RAM (RSS / PSS from /proc). */
    RESIDENT,
    /** Heap bytes occupied by live or not-yet-collected objects (a part of committed heap). */
    USED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MemoryKind parse(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
