package org.cllmlab.core.memory;

import java.lang.management.ManagementFactory;

/**
 * The heap footprint of primitive arrays in this JVM: array header, elements, and padding to the
 * object alignment. The header size is read from the running JVM (it differs with compressed class
 * pointers and with compact object headers), not assumed.
 */
public final class ArrayFootprint {

    private static final int HEADER = arrayHeaderBytes();
    private static final int ALIGNMENT = objectAlignment();

    private ArrayFootprint() {
    }

    public static long floats(long length) {
        return of(length, Float.BYTES);
    }

    public static long ints(long length) {
        return of(length, Integer.BYTES);
    }

    public static long longs(long length) {
        return of(length, Long.BYTES);
    }

    public static long bytes(long length) {
        return of(length, 1);
    }

    /** References are 4 bytes with compressed oops (heaps under 32 GiB), 8 otherwise. */
    public static long references(long length) {
        return of(length, referenceBytes());
    }

    public static long of(long length, int elementBytes) {
        long raw = HEADER + length * elementBytes;
        return (raw + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    public static int headerBytes() {
        return HEADER;
    }

    public static int alignment() {
        return ALIGNMENT;
    }

    static int referenceBytes() {
        String oops = vmOption("UseCompressedOops");
        return "false".equals(oops) ? 8 : 4;
    }

    private static int arrayHeaderBytes() {
        // The base offset of float[] elements is exactly the array header size.
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            return unsafeClass.getField("ARRAY_FLOAT_BASE_OFFSET").getInt(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "true".equals(vmOption("UseCompactObjectHeaders")) ? 12 : 16;
        }
    }

    private static int objectAlignment() {
        String v = vmOption("ObjectAlignmentInBytes");
        return v == null ? 8 : Integer.parseInt(v);
    }

    private static String vmOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean.getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
