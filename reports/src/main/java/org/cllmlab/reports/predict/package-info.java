/**
 * Speedup predictions a reader can check: a step model calibrated from what one run measured, tested on
 * the core counts it did not see, beside a Universal Scalability Law fit where enough core counts were
 * measured. Pure functions of result records; nothing here runs or times anything.
 *
 * <ul>
 *   <li>{@link org.cllmlab.reports.predict.Calibration}: what a run measured, per item and per step, or
 *       why it cannot calibrate a model;</li>
 *   <li>{@link org.cllmlab.reports.predict.StepModel}: the step's time at N cores, part by part, its
 *       speedup, and the speedup stack (the equations and what the model leaves out are in its comment);</li>
 *   <li>{@link org.cllmlab.reports.predict.Usl}: the USL fitted by least squares, with intervals, refused
 *       with too few points;</li>
 *   <li>{@link org.cllmlab.reports.predict.Predictions}: runs grouped by configuration and machine, each
 *       group's calibration, curve from 1 to 128 cores, held-out checks and fit.</li>
 * </ul>
 *
 * A prediction is labelled as one everywhere, and a figure beyond twice the largest measured core count
 * as an extrapolation.
 */
package org.cllmlab.reports.predict;
