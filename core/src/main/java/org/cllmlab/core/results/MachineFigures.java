package org.cllmlab.core.results;

/**
 * What the machine can do, measured in the run's own JVM just before it trains: the ceilings a run's
 * figures are judged against, and the inputs of a step model.
 *
 * @param fmaPeakFlops          the register-resident FMA loop on one thread, FLOP/s (NaN when not measured)
 * @param fmaTwoThreadRatio     the same loop on two threads over one: this machine's two-core ceiling (NaN
 *                              on one processor or when not measured)
 * @param reduceBandwidth       the gradient reduction's loop on one thread, bytes per second
 * @param reduceBandwidthAll    the same on {@code bandwidthThreads} threads
 * @param bandwidthThreads      how many threads the second bandwidth figure used
 */
public record MachineFigures(double fmaPeakFlops, double fmaTwoThreadRatio, double reduceBandwidth,
                             double reduceBandwidthAll, int bandwidthThreads) {
}
