package io.cordon.main.runtime;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;

import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

import io.cordon.main.host.RunMode;

/** One spelling of Cordon's version everywhere (the build's), and one reading of cordon.mode. */
public class VersionAndModeTest {

    @Test
    public void versionIsSpelledAsMavenDoes() {
        assertEquals("0.1.0-SNAPSHOT", RuntimeComponent.mavenStyle(Version.parseVersion("0.1.0.SNAPSHOT")));
        assertEquals("1.2.3", RuntimeComponent.mavenStyle(Version.parseVersion("1.2.3")));
    }

    @Test
    public void devModeInAnyCaseElseProduction() {
        assertEquals(false, RunMode.production(withMode("DEV")));
        assertEquals(false, RunMode.production(withMode(" dev ")));
        assertEquals(true, RunMode.production(withMode("production")));
        assertEquals(true, RunMode.production(withMode(null)));
    }

    /** A bundle context whose only answer is the framework property cordon.mode. */
    private static BundleContext withMode(String mode) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> method.getName().equals("getProperty") && "cordon.mode".equals(args[0]) ? mode : null);
    }
}
