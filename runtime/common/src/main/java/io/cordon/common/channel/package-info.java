/**
 * The private channel between main and one renderer: length-prefixed frames over the child's
 * stdin/stdout. Shared by both sides; in a renderer the system bundle exports this package from the
 * class path so the child runtime bundle and the bootstrap see the same classes.
 */
@Version("0.1.0")
@Export
package io.cordon.common.channel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
