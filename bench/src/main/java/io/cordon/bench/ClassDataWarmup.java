package io.cordon.bench;

import org.osgi.util.promise.Promise;

import io.cordon.api.RendererInfo;
import io.cordon.api.Renderers;

/**
 * A type's first renderer trains the renderers' class-data archive as it exits (on Java 25 main then
 * assembles it in the background): warm-up spawns until renderers of the type get it, at most
 * {@value #TRIES}, so that the timed ones are the steady state.
 */
public final class ClassDataWarmup {

    private static final int TRIES = 10;

    private ClassDataWarmup() {
    }

    public static void await(Renderers renderers, String type) throws Exception {
        for (int i = 0; i < TRIES; i++) {
            RendererInfo r = value(renderers.spawn(type));
            String classData = JvmCommand.ofProcess(r.pid()).classData();
            value(renderers.stop(r.id()));
            if (!classData.equals("none")) {
                return;
            }
            Thread.sleep(1_000);
        }
    }

    private static <T> T value(Promise<T> promise) throws Exception {
        Throwable failure = promise.getFailure();
        if (failure != null) {
            throw failure instanceof Exception e ? e : new IllegalStateException(failure);
        }
        return promise.getValue();
    }
}
