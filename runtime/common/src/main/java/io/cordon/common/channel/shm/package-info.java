/**
 * The shared-memory transport of the private channel: one single-producer/single-consumer ring per
 * direction in a file main and the renderer both map, carrying frames in the pipe's wire format, with an
 * adaptive wait (spin, yield, then park on the pipe, which stays as doorbell and death signal). Written for
 * a hostile peer: everything read from shared memory is copied out and checked before use.
 */
@Version("0.1.0")
@Export
package io.cordon.common.channel.shm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
