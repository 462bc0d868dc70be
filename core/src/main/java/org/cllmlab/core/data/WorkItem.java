package org.cllmlab.core.data;

/**
 * One training sequence: {@code length} input tokens and their next-token targets, stored at
 * {@code offset} in the batch's arrays.
 *
 * @param index position of the item in its global batch (0-based)
 */
public record WorkItem(int index, int[] tokens, int[] targets, int offset, int length) {
}
