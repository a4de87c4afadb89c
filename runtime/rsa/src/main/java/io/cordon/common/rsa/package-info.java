/** The RSA engine both processes run: call protocol, proxies, exports. Included privately by each side's bundle. */
package io.cordon.common.rsa;
