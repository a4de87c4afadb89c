package io.cordon.sample.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.remoteserviceadmin.ImportReference;
import org.osgi.service.remoteserviceadmin.RemoteServiceAdmin;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.FrameType;
import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.UnsupportedTypeException;
import io.cordon.common.rsa.codec.WireFormat;
import io.cordon.sample.api.DocumentStore;

/**
 * What a compromised renderer does: it skips the proxy (whose method table has no {@code delete},
 * since main announced {@code list} and {@code read} only) and writes an RSA_CALL for
 * {@code DocumentStore.delete} on the channel itself, using Cordon's own internals to find the
 * endpoint's handle and encode the arguments. Nothing in the renderer can stop this, which is why
 * the check lives in main.
 */
@Component(service = ForgedCall.class)
public final class ForgedCall {

    private static final int CALL_ID = Integer.MAX_VALUE;

    private final Channel channel;
    private final RemoteServiceAdmin rsa;
    private final Codec codec;

    @Activate
    public ForgedCall(BundleContext context, @Reference Channel channel, @Reference RemoteServiceAdmin rsa) {
        this.channel = channel;
        this.rsa = rsa;
        String format = context.getProperty("cordon.rsa.wire.format");
        this.codec = new Codec(WireFormat.valueOf(format == null ? "SMILE" : format.toUpperCase(Locale.ROOT)));
    }

    void deleteDocument(String id) {
        try {
            // The wire id of a method is its index in the interface's method table, as main computes it.
            MethodCodec delete = codec.forInterface(DocumentStore.class).methods().stream()
                    .filter(m -> m.method().getName().equals("delete")).findFirst().orElseThrow();
            byte[] args = delete.encodeArguments(new Object[] {id});
            byte[] payload = ByteBuffer.allocate(12 + args.length).putLong(storeHandle()).putInt(delete.id()).put(args).array();
            channel.send(FrameType.RSA_CALL, CALL_ID, payload);
        } catch (UnsupportedTypeException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint's number on the channel: the last part of its endpoint.id ({@code cordon:<uuid>:<handle>}). */
    private long storeHandle() {
        return rsa.getImportedEndpoints().stream().map(ImportReference::getImportedEndpoint)
                .filter(e -> e != null && e.getInterfaces().contains(DocumentStore.class.getName()))
                .mapToLong(e -> Long.parseLong(e.getId().substring(e.getId().lastIndexOf(':') + 1))).findFirst()
                .orElseThrow(() -> new IllegalStateException("main's DocumentStore is not imported here"));
    }
}
