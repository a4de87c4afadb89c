/** The interface bench:ipc calls; exported so main imports the renderer's proxy of it. */
@Version("1.0.0")
@Export
package io.cordon.bench.ipc.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
