package org.cllmlab.experiments.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println("cllm-lab");
    }
}
