package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.Test;

import io.cordon.api.WhitelistEntry;

public class WhitelistPackageCheckTest {

    private static final WhitelistEntry GREETER = new WhitelistEntry("com.example.api.Greeter", "", List.of("greet"));

    @Test
    public void anExportedPackageIsFine() {
        assertEquals(List.of(), WhitelistPackageCheck.unexported("page", List.of(GREETER), Set.of("com.example.api")));
    }

    @Test
    public void anUnexportedPackageIsNamedWithTheFix() {
        List<String> problems = WhitelistPackageCheck.unexported("page", List.of(GREETER), Set.of("com.example"));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0), problems.get(0).startsWith("renderer type page: its whitelist names com.example.api.Greeter, "
                + "but no bundle in main exports package com.example.api"));
        assertTrue(problems.get(0), problems.get(0).contains("deploy the bundle that exports it (your API jar)"));
    }
}
