package io.cordon.main.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

import io.cordon.api.RendererType;

/** The spare pool's decisions: which spare a launch takes, which to start, which to stop. */
public class SparePoolTest {

    private static final SpareKey SMALL = key(64);
    private static final SpareKey BIG = key(256);

    private static SpareKey key(int heapMb) {
        return new SpareKey(heapMb, List.of(), RendererType.SandboxPolicy.AUTO, RendererType.Resources.DEFAULT,
                RendererType.Transport.SHM, 64, false);
    }

    @Test
    public void startsTheWantedSparesForTheKeysInUseWithinTheRoom() {
        SparePool pool = new SparePool();
        assertEquals(List.of(SMALL), pool.plan(List.of(SMALL, BIG), 1, 10, false).start());
        assertEquals(List.of(SMALL, BIG, SMALL), pool.plan(List.of(SMALL, BIG), 3, 10, false).start());
        assertEquals("no more than the room", List.of(SMALL), pool.plan(List.of(SMALL, BIG), 3, 1, false).start());
        assertEquals("none while a renderer starts", List.of(), pool.plan(List.of(SMALL), 1, 10, true).start());
        assertEquals("none when disabled", List.of(), pool.plan(List.of(SMALL), 0, 10, false).start());
        assertEquals("none without types", List.of(), pool.plan(List.of(), 1, 10, false).start());
    }

    @Test
    public void theKeyLastLaunchedGetsTheSpareFirst() {
        SparePool pool = new SparePool();
        pool.used(SMALL);
        pool.used(BIG);
        assertEquals(List.of(BIG), pool.plan(List.of(SMALL, BIG), 1, 10, false).start());
        pool.started(1, BIG);
        assertEquals("the one kept", new SparePool.Plan(List.of(), List.of()), pool.plan(List.of(SMALL, BIG), 1, 10, false));
    }

    @Test
    public void aLaunchTakesTheOldestWaitingSpareOfItsKey() {
        SparePool pool = new SparePool();
        pool.started(1, SMALL);
        pool.started(2, SMALL);
        pool.started(3, BIG);
        assertEquals("not before its runtime is up", Optional.empty(), pool.take(SMALL, id -> false));
        assertEquals(Optional.of(2), pool.take(SMALL, id -> id == 2));
        assertEquals(Optional.of(1), pool.take(SMALL, id -> true));
        assertEquals(Optional.empty(), pool.take(SMALL, id -> true));
        assertEquals(1, pool.size());
        assertFalse(pool.contains(1));
    }

    @Test
    public void sparesOfAKeyNoTypeHasAreStoppedAndReplaced() {
        SparePool pool = new SparePool();
        pool.started(1, SMALL);
        SparePool.Plan plan = pool.plan(List.of(BIG), 1, 10, false);
        assertEquals(List.of(1), plan.stop());
        assertEquals(List.of(BIG), plan.start());
    }

    @Test
    public void extraSparesGoTheLeastRecentlyLaunchedKeyFirst() {
        SparePool pool = new SparePool();
        pool.started(1, SMALL);
        pool.started(2, BIG);
        pool.started(3, BIG);
        pool.used(BIG);
        assertEquals("BIG 2 kept", List.of(3, 1), pool.plan(List.of(SMALL, BIG), 1, 10, false).stop());
    }

    @Test
    public void aRendererThatNeedsRoomStopsTheNewestSpare() {
        SparePool pool = new SparePool();
        assertEquals(Optional.empty(), pool.evictable());
        pool.started(4, SMALL);
        pool.started(7, SMALL);
        assertEquals(Optional.of(7), pool.evictable());
        pool.discard(7);
        assertEquals(Optional.of(4), pool.evictable());
        assertFalse("discarded, not died", pool.died(7));
    }

    @Test
    public void aKeyWhoseSparesKeepDyingIsGivenUpUntilATypeChanges() {
        SparePool pool = new SparePool();
        for (int id = 1; id <= SparePool.GIVE_UP; id++) {
            pool.started(id, SMALL);
            assertEquals("given up at the last death only", id == SparePool.GIVE_UP, pool.died(id));
        }
        assertEquals(List.of(), pool.plan(List.of(SMALL), 1, 10, false).start());
        assertEquals(List.of(BIG), pool.plan(List.of(SMALL, BIG), 1, 10, false).start());
        pool.forgive();
        assertEquals(List.of(SMALL), pool.plan(List.of(SMALL), 1, 10, false).start());
    }

    @Test
    public void aSpareTakenForgivesItsKeysDeaths() {
        SparePool pool = new SparePool();
        pool.started(1, SMALL);
        pool.died(1);
        pool.started(2, SMALL);
        pool.died(2);
        pool.started(3, SMALL);
        assertTrue(pool.take(SMALL, id -> true).isPresent());
        pool.started(4, SMALL);
        assertFalse(pool.died(4));
    }

    @Test
    public void theKeyIsWhatDecidesTheProcess() {
        RendererType.Budget budget = RendererType.Budget.DEFAULT;
        assertEquals(SpareKey.of(type("a", List.of("x"), budget)), SpareKey.of(type("b", List.of("y"), budget)));
        assertFalse(SpareKey.of(type("a", List.of(), budget)).equals(SpareKey.of(type("a", List.of(), new RendererType.Budget(32, 4)))));
    }

    /** A type; what differs in {@code provides} applies at adoption and is no part of the key. */
    private static RendererType type(String name, List<String> provides, RendererType.Budget budget) {
        return new RendererType(name, 1, List.of("preload"), List.of(name), 64, List.of(), RendererType.RestartPolicy.ON_CRASH, 500,
                30_000, RendererType.SandboxPolicy.AUTO, List.of(), provides, false, RendererType.BundleUpdatePolicy.UPDATE, budget,
                RendererType.Resources.DEFAULT, RendererType.Transport.SHM);
    }
}
