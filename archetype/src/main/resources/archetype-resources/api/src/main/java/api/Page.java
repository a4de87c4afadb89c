package ${package}.api;

/** What a {@code page} renderer offers main back: a page for someone, made in the renderer's process. */
public interface Page {

    String show(String name);
}
