package io.cordon.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.util.promise.Promise;

/**
 * Spawns, lists and controls renderers: the code equivalent of the {@code cordon:*} shell commands.
 * Every method returns at once; promises resolve when the renderer reaches the state asked for.
 */
@ProviderType
public interface Renderers {

    /** Service property of each proxy main imports from a renderer: the renderer's id ({@link RendererInfo#id()}). */
    String RENDERER_ID = "cordon.renderer.id";

    /** Service property of each proxy main imports from a renderer: its type's name. */
    String RENDERER_TYPE = "cordon.renderer.type";

    /** Starts a renderer of the named type; resolves when READY, fails with the cause when it could not start. */
    Promise<RendererInfo> spawn(String type);

    /**
     * Every renderer, spare renderers ({@link RendererState#SPARE}) included, and the last 16 GONE ones
     * (each with the reason it went; {@code cordon:renderers} shows them as {@code GONE:REASON}).
     */
    List<RendererInfo> list();

    /** The renderer with this id, while it runs or is one of the last 16 GONE. */
    Optional<RendererInfo> get(int id);

    /** Asks the renderer to stop (SHUTDOWN, then SIGKILL after a timeout); resolves when GONE. */
    Promise<RendererInfo> stop(int id);

    /** SIGKILLs the renderer (reason killed; the restart policy applies); resolves when GONE. */
    Promise<RendererInfo> kill(int id);

    /** Stops the renderer and starts it again with the same id; resolves when READY again. */
    Promise<RendererInfo> restart(int id);

    /** Runs a Gogo command inside the renderer's framework; resolves with its output. */
    Promise<String> exec(int id, String command);

    /** The renderer types currently configured. */
    List<RendererType> types();
}
