package io.cordon.renderer.boot;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.cordon.common.channel.Messages.Health;
import io.cordon.common.channel.Messages.Health.Kind;
import io.cordon.common.channel.Messages.Health.Problem;

public class HealthReportsTest {

    private static final Problem A = new Problem(Kind.COMPONENT_UNSATISFIED, "a", "missing reference r (I)");
    private static final Problem B = new Problem(Kind.BUNDLE_INACTIVE, "b 1.0.0", "resolved, not active");

    @Test
    public void aBundleOperationIsSettledWhenNoProblemIsNew() {
        assertTrue(HealthReports.noNewProblems(Health.OK, Health.OK));
        assertTrue("what was wrong before may stay wrong", HealthReports.noNewProblems(Health.of(List.of(A)), Health.of(List.of(A))));
        assertTrue("or be fixed", HealthReports.noNewProblems(Health.of(List.of(A, B)), Health.of(List.of(B))));
        assertFalse(HealthReports.noNewProblems(Health.OK, Health.of(List.of(A))));
        assertFalse(HealthReports.noNewProblems(Health.of(List.of(A)), Health.of(List.of(B))));
        assertFalse("more omitted than before", HealthReports.noNewProblems(Health.OK, new Health(List.of(), 1)));
    }
}
