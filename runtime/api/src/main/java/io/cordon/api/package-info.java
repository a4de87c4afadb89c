/**
 * Cordon's public API: the services a main bundle uses to inspect the runtime and, later, to spawn
 * and supervise renderers. Everything outside this package is private to Cordon's bundles.
 */
@Version("0.5.0")
@Export
package io.cordon.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
