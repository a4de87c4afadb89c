package io.cordon.bench;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class SamplesTest {

    private static Samples ms(long... values) {
        Samples samples = new Samples();
        for (long v : values) {
            samples.add(v * 1_000_000);
        }
        return samples;
    }

    @Test
    public void nearestRankOfTwenty() {
        Samples samples = ms(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        assertEquals(10, samples.percentileMs(50));
        assertEquals(18, samples.percentileMs(90));
        assertEquals(20, samples.maxMs());
    }

    @Test
    public void oneSampleIsEveryPercentile() {
        Samples samples = ms(7);
        assertEquals(7, samples.percentileMs(50));
        assertEquals(7, samples.percentileMs(90));
    }

    @Test
    public void roundsToWholeMilliseconds() {
        Samples samples = new Samples();
        samples.add(1_499_999);
        assertEquals(1, samples.percentileMs(50));
    }
}
