/*
 * HdrOracle: the Java side of tests/unit/test_hdr_oracle.c. It answers with
 * what HdrHistogram's own Java library (org.HdrHistogram, the library OMB
 * uses) does, so that ombc's encodings, statistics and .hlog files are
 * checked against the reference implementation rather than against numbers
 * derived by hand.
 *
 * One JVM serves a whole batch: requests are lines on stdin, answers lines on
 * stdout, in order. A request that makes the library throw answers
 * "ERR <exception> (request line N)" and the batch goes on; only a failure
 * of the helper itself reaches stderr and its exit status.
 *
 *   P <p1> <p2> ...        percentiles the figures report (getValueAtPercentile)
 *   D <base64>             decodeFromCompressedByteBuffer -> "OK <figures>"
 *   U <base64>             decodeFromByteBuffer (uncompressed) -> "OK <figures>"
 *   E <lowest> <highest> <digits> [<value>:<count> ...]
 *                          new Histogram + recordValueWithCount each pair ->
 *                          "OK <compressed base64> <uncompressed base64> <figures>
 *                          <figures decoded from the compressed> <figures decoded
 *                          from the uncompressed>" (decoding re-derives min/max
 *                          from the counts, so these can differ from the first)
 *   R <file>               HistogramLogReader: one line per interval,
 *                          "I <tag|-> <startMs> <endMs> <figures>", then
 *                          "END <intervals> <getStartTimeSec as hex double>"
 *   W <file> <mode> <startMs>
 *                          starts a HistogramLogWriter log: comment, format
 *                          version, then by mode
 *                            base      StartTime, BaseTime = start, relative stamps
 *                            absolute  StartTime, absolute stamps
 *                            relative  StartTime, relative stamps, no BaseTime
 *                            baseonly  BaseTime = start, relative stamps, no StartTime
 *                            bare      no StartTime/BaseTime, absolute stamps
 *                          then the legend. No answer.
 *   WI <tag|-> <startMs> <endMs> <lowest> <highest> <digits> [<value>:<count> ...]
 *                          outputIntervalHistogram of that histogram. No answer.
 *   WEND                   closes the log -> "OK <intervals written>"
 *
 * <figures> = lowest highest digits total min max minNonZero mean stddev
 *             p(P1) p(P2) ...   with mean and stddev as Double.toHexString,
 *             which C's strtod reads back bit for bit.
 */
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

public final class HdrOracle {
    private double[] percentiles = {50.0, 90.0, 99.0, 99.9, 99.99, 100.0};
    private HistogramLogWriter writer;
    private int written;

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.US); /* the writer's %.3f must use '.' */
        BufferedReader in = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.US_ASCII), 1 << 16);
        PrintWriter out = new PrintWriter(new BufferedWriter(
            new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16));
        HdrOracle oracle = new HdrOracle();
        String line;
        long lineNo = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isEmpty())
                continue;
            try {
                oracle.handle(line, out);
            } catch (Exception | AssertionError e) {
                /* Expected for some requests (values out of range): the test
                 * decides, so nothing goes to stderr. */
                out.println("ERR " + e.toString().replace('\n', ' ') + " (request line " + lineNo
                            + ")");
            }
        }
        out.flush();
        if (oracle.writer != null)
            oracle.writer.close();
    }

    private void handle(String line, PrintWriter out) throws Exception {
        String[] t = line.trim().split("\\s+");
        switch (t[0]) {
        case "P": {
            percentiles = new double[t.length - 1];
            for (int i = 1; i < t.length; i++)
                percentiles[i - 1] = Double.parseDouble(t[i]);
            break;
        }
        case "D": {
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(t[1]));
            out.println("OK " + figures(Histogram.decodeFromCompressedByteBuffer(b, 0)));
            break;
        }
        case "U": {
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(t[1]));
            out.println("OK " + figures(Histogram.decodeFromByteBuffer(b, 0)));
            break;
        }
        case "E": {
            Histogram h = build(t, 1);
            String comp = base64(h, true), plain = base64(h, false);
            Histogram fromComp = Histogram.decodeFromCompressedByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(comp)), 0);
            Histogram fromPlain = Histogram.decodeFromByteBuffer(
                ByteBuffer.wrap(Base64.getDecoder().decode(plain)), 0);
            out.println("OK " + comp + " " + plain + " " + figures(h) + " " + figures(fromComp)
                        + " " + figures(fromPlain));
            break;
        }
        case "R":
            readLog(t[1], out);
            break;
        case "W":
            startLog(t[1], t[2], Long.parseLong(t[3]));
            break;
        case "WI": {
            Histogram h = build(t, 4);
            if (!t[1].equals("-"))
                h.setTag(t[1]);
            h.setStartTimeStamp(Long.parseLong(t[2]));
            h.setEndTimeStamp(Long.parseLong(t[3]));
            writer.outputIntervalHistogram(h);
            written++;
            break;
        }
        case "WEND":
            writer.close();
            writer = null;
            out.println("OK " + written);
            break;
        default:
            throw new IllegalArgumentException("unknown request '" + t[0] + "'");
        }
    }

    /* Histogram(t[at], t[at+1], t[at+2]) holding the value:count pairs after them. */
    private static Histogram build(String[] t, int at) {
        Histogram h = new Histogram(Long.parseLong(t[at]), Long.parseLong(t[at + 1]),
                                    Integer.parseInt(t[at + 2]));
        for (int i = at + 3; i < t.length; i++) {
            int colon = t[i].indexOf(':');
            long v = Long.parseLong(t[i].substring(0, colon));
            long c = Long.parseLong(t[i].substring(colon + 1));
            try {
                h.recordValueWithCount(v, c);
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new ArrayIndexOutOfBoundsException("recordValueWithCount(" + v + ", " + c
                                                         + ") rejected: " + e.getMessage());
            }
        }
        return h;
    }

    private static String base64(Histogram h, boolean compressed) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = compressed ? h.encodeIntoCompressedByteBuffer(b) : h.encodeIntoByteBuffer(b);
        byte[] bytes = new byte[n];
        b.flip();
        b.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private String figures(AbstractHistogram h) {
        StringBuilder s = new StringBuilder();
        s.append(h.getLowestDiscernibleValue()).append(' ')
            .append(h.getHighestTrackableValue()).append(' ')
            .append(h.getNumberOfSignificantValueDigits()).append(' ')
            .append(h.getTotalCount()).append(' ')
            .append(h.getMinValue()).append(' ')
            .append(h.getMaxValue()).append(' ')
            .append(h.getMinNonZeroValue()).append(' ')
            .append(Double.toHexString(h.getMean())).append(' ')
            .append(Double.toHexString(h.getStdDeviation()));
        for (double p : percentiles)
            s.append(' ').append(h.getValueAtPercentile(p));
        return s.toString();
    }

    private void readLog(String path, PrintWriter out) throws Exception {
        HistogramLogReader r = new HistogramLogReader(path);
        int n = 0;
        try {
            EncodableHistogram e;
            while ((e = r.nextIntervalHistogram()) != null) {
                if (!(e instanceof AbstractHistogram))
                    throw new IllegalStateException("interval " + n + " is a "
                                                    + e.getClass().getName());
                String tag = e.getTag();
                out.println("I " + (tag == null ? "-" : tag) + " " + e.getStartTimeStamp() + " "
                            + e.getEndTimeStamp() + " " + figures((AbstractHistogram) e));
                n++;
            }
            out.println("END " + n + " " + Double.toHexString(r.getStartTimeSec()));
        } finally {
            r.close();
        }
    }

    private void startLog(String path, String mode, long startMs) throws Exception {
        if (writer != null)
            throw new IllegalStateException("W before the previous log's WEND");
        writer = new HistogramLogWriter(path);
        written = 0;
        writer.outputComment("Logged by HdrOracle (HdrHistogram Java) for ombc's tests");
        writer.outputLogFormatVersion();
        switch (mode) {
        case "base":
            writer.outputStartTime(startMs);
            writer.setBaseTime(startMs);
            writer.outputBaseTime(startMs);
            break;
        case "absolute":
            writer.outputStartTime(startMs);
            break;
        case "relative":
            writer.outputStartTime(startMs);
            writer.setBaseTime(startMs);
            break;
        case "baseonly":
            writer.setBaseTime(startMs);
            writer.outputBaseTime(startMs);
            break;
        case "bare":
            break;
        default:
            throw new IllegalArgumentException("unknown log mode '" + mode + "'");
        }
        writer.outputLegend();
    }
}
