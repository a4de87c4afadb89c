package io.cordon.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.cordon.common.rsa.codec.Codec;
import io.cordon.common.rsa.codec.InterfaceCodec;
import io.cordon.common.rsa.codec.MethodCodec;
import io.cordon.common.rsa.codec.WireFormat;

/**
 * The wire codec alone, JSON beside Smile, in one JVM: no channel, no threads. One "call" is what both
 * sides do for a synchronous call: encode the arguments, decode them, encode the result, decode it.
 * Prints {@code name: value} lines: each time is the median of {@value #BATCHES} timed batches after a
 * warm-up, each size the encoded arguments plus the encoded result of one call. Run on a plain class path (the class path of io.cordon.rsa plus this module's classes), not
 * inside a framework; see bench/README.md.
 */
public final class CodecBench {

    private static final int BATCHES = 5;
    private static final int MIB = 1024 * 1024;
    private static final WireFormat[] FORMATS = WireFormat.values();

    /** The remote interface timed. */
    public interface Api {
        String greet(String name, int times);

        Profile update(Profile profile);

        int upload(byte[] data);
    }

    /** A DTO with eight fields, one a List<String>. */
    public static class Profile {
        public String id;
        public String name;
        public String email;
        public int age;
        public long created;
        public double score;
        public boolean active;
        public List<String> tags;
    }

    private static volatile long sink;

    private CodecBench() {
    }

    public static void main(String[] args) throws Exception {
        Figures figures = new Figures().host(Figures.loadAverage());
        Profile profile = new Profile();
        profile.id = "4f1c2a9e-7d3b-4c55-9a0e-2b8d6f3e1a77";
        profile.name = "Ada Lovelace";
        profile.email = "ada@example.org";
        profile.age = 36;
        profile.created = 1_700_000_000_000L;
        profile.score = 98.25;
        profile.active = true;
        profile.tags = List.of("analyst", "engine", "notes", "poetry");
        byte[] mebibyte = new byte[MIB];
        new java.util.Random(1).nextBytes(mebibyte);

        InterfaceCodec[] apis = new InterfaceCodec[FORMATS.length];
        for (int f = 0; f < FORMATS.length; f++) {
            apis[f] = new Codec(FORMATS[f]).forInterface(Api.class);
        }
        Call[] small = calls(apis, "greet", new Object[] {"world", 3}, "Hello, world! Hello, world! Hello, world!");
        Call[] dto = calls(apis, "update", new Object[] {profile}, profile);
        Call[] big = calls(apis, "upload", new Object[] {mebibyte}, MIB);
        double[] smallNs = medianNanos(small, 200_000, 100_000);
        double[] dtoNs = medianNanos(dto, 100_000, 50_000);
        double[] bigNs = medianNanos(big, 300, 100);
        for (int f = 0; f < FORMATS.length; f++) {
            String prefix = "codec." + FORMATS[f].name().toLowerCase(Locale.ROOT);
            figures.put(prefix + "_small_call_ns", Math.round(smallNs[f]))
                    .put(prefix + "_dto_call_ns", Math.round(dtoNs[f]))
                    .put(prefix + "_1mib_us", Math.round(bigNs[f] / 1000))
                    .put(prefix + "_small_bytes", small[f].bytes())
                    .put(prefix + "_dto_bytes", dto[f].bytes())
                    .put(prefix + "_1mib_bytes", big[f].bytes());
        }
        System.out.println(figures);
        if (sink == 42) {
            System.err.println("(unlikely)");
        }
    }

    private static Call[] calls(InterfaceCodec[] apis, String method, Object[] args, Object result) throws Exception {
        Call[] calls = new Call[apis.length];
        for (int f = 0; f < apis.length; f++) {
            calls[f] = new Call(apis[f], method, args, result);
        }
        return calls;
    }

    /**
     * For each call, the median over {@value #BATCHES} batches of the mean time of one call, after
     * {@code warmUp} untimed calls of each. The formats' batches alternate, so that both run with the
     * same JIT profile (both formats' classes seen at every call site) and the same machine noise.
     */
    private static double[] medianNanos(Call[] calls, int warmUp, int perBatch) throws Exception {
        for (Call call : calls) {
            for (int i = 0; i < warmUp; i++) {
                call.once();
            }
        }
        double[][] batches = new double[calls.length][BATCHES];
        for (int b = 0; b < BATCHES; b++) {
            for (int c = 0; c < calls.length; c++) {
                long start = System.nanoTime();
                for (int i = 0; i < perBatch; i++) {
                    calls[c].once();
                }
                batches[c][b] = (System.nanoTime() - start) / (double) perBatch;
            }
        }
        double[] medians = new double[calls.length];
        for (int c = 0; c < calls.length; c++) {
            Arrays.sort(batches[c]);
            medians[c] = batches[c][BATCHES / 2];
        }
        return medians;
    }

    /** One method's call: its arguments and result through encode and decode. */
    private static final class Call {
        private final MethodCodec method;
        private final Object[] args;
        private final Object result;

        Call(InterfaceCodec api, String name, Object[] args, Object result) throws Exception {
            this.method = api.methods().stream().filter(m -> m.method().getName().equals(name)).findFirst().orElseThrow();
            this.args = args;
            this.result = result;
            if (!Arrays.equals(method.encodeArguments(once()), method.encodeArguments(args))) {
                throw new IllegalStateException(name + " did not round-trip");
            }
        }

        /** Encoded arguments plus encoded result of one call. */
        long bytes() throws Exception {
            return method.encodeArguments(args).length + method.encodeResult(result).length;
        }

        private Object[] once() throws Exception {
            byte[] a = method.encodeArguments(args);
            Object[] decoded = method.decodeArguments(a, 0, a.length);
            byte[] r = method.encodeResult(result);
            Object back = method.decodeResult(r, 0, r.length);
            sink += a.length + r.length + System.identityHashCode(back);
            return decoded;
        }
    }
}
