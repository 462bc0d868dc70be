package org.cllmlab.core.model;

/** Everything one forward pass keeps for its backward pass, plus the backward pass's scratch. */
public final class ActivationCache {
}
