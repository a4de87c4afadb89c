/**
 * The preload of the {@code page} renderers: runs first in each (start level 2) and decides what of
 * main renderer bundles get. {@link ${package}.preload.GreetingBridge} is the curated way, Electron's
 * contextBridge style: a service of the preload's own with only what pages need. The
 * {@code Cordon-Expose} header below (written into the manifest by bnd-maven-plugin) is the raw way: it
 * lets renderer bundles use main's Greeter proxy itself, every whitelisted method of it. It is here so
 * that HelloPage can show what main's whitelist refuses; drop it (and HelloPage's Greeter) to give
 * renderer bundles the bridge alone.
 */
@Header(name = "Cordon-Expose", value = "${package}.api.Greeter")
package ${package}.preload;

import org.osgi.annotation.bundle.Header;
