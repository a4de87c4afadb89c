/**
 * The application's services: what main offers its renderers ({@link ${package}.api.Greeter}) and what
 * they offer main back ({@link ${package}.api.Page}). Installed in main and in the renderers (as a
 * preload bundle), so both sides share one version of these types; raise the version with every change.
 */
@Version("1.0.0")
@Export
package ${package}.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
