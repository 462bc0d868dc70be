package org.cllmlab.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.cllmlab.strategies.contract.StrategyContract;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every registered strategy must keep, run over every name the injector knows, so a new
 * binding is tested the day it is bound. The checks themselves are {@link StrategyContract}'s, the same
 * that {@code ./lab verify} runs on a user's strategy.
 */
class StrategyContractTest {

    static final Registries REGISTRIES = Registries.create();
    static final StrategyContract CONTRACT = new StrategyContract(REGISTRIES);
    /** Shorter than ./lab verify's default: every built-in strategy is hunted on every build. */
    static final Duration RACE_BUDGET = Duration.ofSeconds(1);

    @TestFactory
    Stream<DynamicTest> everyRegisteredStrategy_keepsTheContract() {
        return REGISTRIES.strategies().names().stream().flatMap(name -> CONTRACT.cases(name, RACE_BUDGET).stream()
                .map(c -> DynamicTest.dynamicTest(name + " " + c.check() + " " + c.setting(), () -> {
                    StrategyContract.Result r = c.execute();
                    assertThat(r.passed()).as("%s %s %s: %s", name, r.check(), r.setting(), r.detail()).isTrue();
                })));
    }
}
