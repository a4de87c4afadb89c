/**
 * Cordon's public API, for main bundles: {@link io.cordon.api.Renderers} spawns, lists and controls
 * renderers (what the {@code cordon:*} commands do), {@link io.cordon.api.RendererListener} hears their
 * events (also posted to EventAdmin under {@link io.cordon.api.RendererEvent#TOPIC_PREFIX}),
 * {@link io.cordon.api.CordonRuntime} describes the running main framework, and the service properties
 * Cordon puts on proxies of renderer services are named in {@link io.cordon.api.Renderers}. Renderer,
 * preload and API bundles need none of it. Everything outside this package is private to Cordon's bundles.
 */
@Version("1.2.0")
@Export
package io.cordon.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
