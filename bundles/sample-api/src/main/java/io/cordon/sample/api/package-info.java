/**
 * The sample application's services: what main offers (a document store) and what renderers offer
 * back (rendering, analysis). Installed in main and, as a preload bundle, in the sample renderers, so
 * both sides share one version of these types.
 */
@Version("1.0.0")
@Export
package io.cordon.sample.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
