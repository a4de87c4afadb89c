/**
 * The preload of the {@code page} renderers. Renderer bundles do not see main's raw proxies unless a
 * preload exposes them: the {@code Cordon-Expose} header below (written into the manifest by
 * bnd-maven-plugin) lets them use the Greeter proxy, every whitelisted method of it. To give them less,
 * register a curated service of your own here instead (a DS component that takes the proxy with
 * {@code @Reference} and offers a narrower interface), Electron's contextBridge style.
 */
@Header(name = "Cordon-Expose", value = "${package}.api.Greeter")
package ${package}.preload;

import org.osgi.annotation.bundle.Header;
