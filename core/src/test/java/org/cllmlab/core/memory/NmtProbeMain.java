package org.cllmlab.core.memory;

/** Child-JVM entry for {@link NativeMemoryTest}: prints the in-process NMT reading. */
public final class NmtProbeMain {
    private NmtProbeMain() {
    }

    public static void main(String[] args) {
        NativeMemory n = NativeMemory.read();
        if (n == null) {
            System.out.println("nmt=off");
            return;
        }
        System.out.println("total.committed=" + n.totalCommittedBytes());
        System.out.println("heap.reserved=" + n.category("Java Heap").reservedBytes());
        System.out.println("stack.reserved=" + n.stackReservedBytes());
        System.out.println("stack.committed=" + n.stackCommittedBytes());
        System.out.println("threads=" + n.threadCount());
    }
}
