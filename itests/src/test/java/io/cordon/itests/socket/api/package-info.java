/** The API of the socket transport tests, installed in both frameworks. */
package io.cordon.itests.socket.api;
