/**
 * The RSA engine both processes run: call protocol, proxies, exports. Exported only for Cordon's own
 * main and renderer bundles (x-internal); not an API.
 */
package io.cordon.common.rsa;
