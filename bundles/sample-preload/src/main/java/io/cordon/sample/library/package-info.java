/**
 * What the sample's preload exposes to renderer bundles: read-only access to main's documents. The
 * preload's own package, exported to the renderer's bundles, the way Electron's contextBridge puts a
 * curated API in the page.
 */
@Version("1.0.0")
@Export
package io.cordon.sample.library;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
