/**
 * What the page renderers' preload offers their renderer bundles: greetings, without the rest of main's
 * Greeter. The preload's own package, exported to the renderer bundles, the way Electron's contextBridge
 * puts a curated API in the page; raise the version with every change.
 */
@Version("1.0.0")
@Export
package ${package}.greetings;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
