package io.cordon.renderer.exec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.cordon.common.channel.Channel;
import io.cordon.common.channel.Frame;
import io.cordon.common.channel.FrameType;
import io.cordon.common.channel.Messages;

/**
 * Serves {@code cordon:exec}: runs a Gogo command in this renderer's framework and sends its output
 * (printed and returned) back to main. One command at a time, a short queue, off the reader thread.
 */
@Component(immediate = true, service = {})
public final class CommandExecutor {

    private static final int QUEUE = 16;
    private static final int MAX_OUTPUT_CHARS = 1 << 20;

    private final Channel channel;
    private final CommandProcessor processor;
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "cordon-renderer-exec");
                t.setDaemon(true);
                return t;
            });

    @Activate
    public CommandExecutor(@Reference Channel channel, @Reference CommandProcessor processor) {
        this.channel = channel;
        this.processor = processor;
        channel.handle(FrameType.EXEC, this::accept);
    }

    @Deactivate
    void deactivate() {
        channel.handle(FrameType.EXEC, null);
        executor.shutdownNow();
    }

    private void accept(Frame request) throws IOException {
        try {
            executor.execute(() -> reply(request.stream(), run(Messages.utf8(request.payload()))));
        } catch (RejectedExecutionException e) {
            reply(request.stream(), new Messages.Result(1, "renderer busy: " + QUEUE + " commands already queued"));
        }
    }

    private Messages.Result run(String command) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        int status = 0;
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out)) {
            Object result = session.execute(command);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            out.println(e.getMessage() != null ? e.getMessage() : e.toString());
            status = 1;
        }
        out.flush();
        String text = output.toString(StandardCharsets.UTF_8);
        return new Messages.Result(status, text.length() > MAX_OUTPUT_CHARS ? text.substring(0, MAX_OUTPUT_CHARS) : text);
    }

    private void reply(int stream, Messages.Result result) {
        try {
            channel.send(FrameType.EXEC_RESULT, stream, result.encode());
        } catch (IOException e) {
            System.err.println("cordon-renderer: cannot send an exec result: " + e.getMessage());
        }
    }
}
