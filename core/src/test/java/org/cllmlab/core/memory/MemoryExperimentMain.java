package org.cllmlab.core.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.cllmlab.core.results.MemoryReport;

/**
 * A hand-run check of the breakdown: N worker threads (platform with a chosen stack size, or virtual) parked
 * on a latch after touching a little stack, plus ledgered float arrays. Run with NMT on:
 * {@code java -XX:NativeMemoryTracking=summary -cp ... org.cllmlab.core.memory.MemoryExperimentMain platform 63 8}.
 */
public final class MemoryExperimentMain {

    private MemoryExperimentMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean virtual = args.length > 0 && args[0].equals("virtual");
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 63;
        long stackMiB = args.length > 2 ? Long.parseLong(args[2]) : 8;
        int floatsMiB = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        MemoryLedger ledger = new MemoryLedger();
        List<float[]> keep = new ArrayList<>();
        try (MemorySampler sampler = new MemorySampler(ledger, Duration.ofMillis(50)).start()) {
            keep.add(ledger.floats(Category.PARAMETERS, floatsMiB * 1024 * 1024 / 4 / 4));
            keep.add(ledger.floats(Category.GRADIENTS, floatsMiB * 1024 * 1024 / 4 / 4));
            keep.add(ledger.floats(Category.OPTIMIZER_STATE, floatsMiB * 1024 * 1024 / 4 / 2));
            CountDownLatch ready = new CountDownLatch(workers);
            CountDownLatch done = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                Runnable body = () -> {
                    float[] local = ledger.floats(Category.WORKSPACE, 16 * 1024);
                    local[0] = recurse(200);
                    ready.countDown();
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                Thread t = virtual ? Thread.ofVirtual().unstarted(body)
                        : Thread.ofPlatform().stackSize(stackMiB << 20).unstarted(body);
                t.start();
                threads.add(t);
            }
            ready.await();
            Thread.sleep(300);
            sampler.sampleNow();
            done.countDown();
            for (Thread t : threads) {
                t.join();
            }
            sampler.stop();
            MemoryReport r = MemoryBreakdown.builder().fromSampler(sampler)
                    .stackRequested(virtual ? 0 : workers, stackMiB << 20)
                    .workerThreads(workers).virtualWorkers(virtual).build();
            System.out.print(MemoryReports.toText(r));
            System.out.printf("unaccounted/peak = %.1f%%, failures=%s%n",
                    100.0 * r.unaccountedBytes() / r.peakResidentBytes(), sampler.failures());
        }
        System.out.println(keep.size());
    }

    private static float recurse(int depth) {
        float[] pad = new float[4];
        pad[0] = depth;
        return depth == 0 ? pad[0] : recurse(depth - 1) + pad[0] * 0.5f;
    }
}
