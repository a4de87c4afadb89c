package io.cordon.sample.preload;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cordon.sample.api.Document;
import io.cordon.sample.api.DocumentStore;
import io.cordon.sample.library.DocumentLibrary;

/**
 * The preload's bridge: takes the proxy of main's store (which renderer bundles cannot see) and
 * offers renderer bundles only the reading half of it. Main's whitelist already refuses the writing
 * half; this keeps renderer bundles from even compiling against it.
 */
@Component
public final class LibraryBridge implements DocumentLibrary {

    private final DocumentStore store;

    @Activate
    public LibraryBridge(@Reference DocumentStore store) {
        this.store = store;
    }

    @Override
    public List<String> ids() {
        return store.list();
    }

    @Override
    public Document get(String id) {
        return store.read(id);
    }
}
