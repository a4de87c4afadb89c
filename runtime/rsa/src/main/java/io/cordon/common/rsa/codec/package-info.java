/** The wire codec: Jackson without polymorphic typing, decoding only into declared types. */
package io.cordon.common.rsa.codec;
