package io.cordon.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;

/** The distribution's bundle set boots in one framework: everything resolves and starts, the shell works. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MainFrameworkIT {

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor commands;

    @Configuration
    public Option[] config() {
        return new Option[] {CordonOptions.mainFramework()};
    }

    @Test
    public void everyDistributionBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (String location : CordonOptions.bundleLocations()) {
            Bundle bundle = context.getBundle(location);
            assertNotNull("not installed: " + location, bundle);
            if (!isFragment(bundle) && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " state " + bundle.getState());
            }
        }
        assertEquals("bundles not ACTIVE", List.of(), notActive);
    }

    @Test
    public void declarativeServicesIsActive() {
        Bundle scr = Bundles.bySymbolicName(context, "org.apache.felix.scr");
        assertNotNull("org.apache.felix.scr is not installed", scr);
        assertEquals("SCR state", Bundle.ACTIVE, scr.getState());
    }

    @Test
    public void versionCommandRunsThroughGogo() throws Exception {
        String output = execute("cordon:version");
        for (String key : List.of("cordon ", "felix ", "java ")) {
            assertTrue("no line starting '" + key + "' in:\n" + output,
                    output.lines().anyMatch(line -> line.startsWith(key)));
        }
    }

    private String execute(String command) throws Exception {
        return Gogo.execute(commands, command);
    }

    private static boolean isFragment(Bundle bundle) {
        return (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }
}
