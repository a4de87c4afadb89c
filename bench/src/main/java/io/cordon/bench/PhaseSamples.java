package io.cordon.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Start-up phases of repeated spawns, in ms, each summarised by its nearest-rank median. */
final class PhaseSamples {

    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    void add(Map<String, Double> phases) {
        phases.forEach((name, ms) -> samples.computeIfAbsent(name, k -> new ArrayList<>()).add(ms));
    }

    /** Each phase's median, one decimal, in the order the phases were first seen. */
    Map<String, String> medians() {
        Map<String, String> medians = new LinkedHashMap<>();
        samples.forEach((name, values) -> {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            double median = sorted.get(Math.max(1, (int) Math.ceil(sorted.size() / 2.0)) - 1);
            medians.put(name, String.format(Locale.ROOT, "%.1f", median));
        });
        return medians;
    }
}
