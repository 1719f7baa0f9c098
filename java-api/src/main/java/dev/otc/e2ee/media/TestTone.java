package dev.otc.e2ee.media;

import java.nio.ShortBuffer;

/**
 * A generated sine tone at 48 kHz for demos, tests and benchmarks, and the SNR of received audio
 * against an ideal tone of the same frequency.
 *
 * <p>Why a fitted sine rather than a sample-by-sample comparison: the received audio is delayed
 * by an unknown number of samples (codec look-ahead, buffering) and Opus keeps a tone's spectrum
 * rather than its exact waveform phase. {@link #snr} therefore fits {@code a sin + b cos + c} at
 * the tone's frequency to a window of the received samples by least squares (any delay and
 * phase) and reports the power of that fit against the power of what remains.
 */
public final class TestTone {
  public static final int SAMPLE_RATE = 48_000;

  private final double frequency;
  private final double amplitude;
  private long next;

  /** A tone of {@code frequency} Hz at {@code amplitude} (0..1 of full scale). */
  public TestTone(double frequency, double amplitude) {
    if (frequency <= 0 || frequency >= SAMPLE_RATE / 2.0 || amplitude <= 0 || amplitude > 1) {
      throw new IllegalArgumentException("tone " + frequency + " Hz at " + amplitude);
    }
    this.frequency = frequency;
    this.amplitude = amplitude;
  }

  public double frequency() {
    return frequency;
  }

  /** Writes the next {@code out.remaining()} mono samples from {@code out}'s position (not moved). */
  public void fill(ShortBuffer out) {
    int base = out.position();
    for (int i = 0; i < out.remaining(); i++) {
      double t = (next + i) / (double) SAMPLE_RATE;
      out.put(base + i, (short) Math.round(Math.sin(2 * Math.PI * frequency * t) * amplitude * 32767));
    }
    next += out.remaining();
  }

  /** SNR in dB of {@code samples[from .. from+length)} (mono) against the best-fitting tone of {@code frequency}. */
  public static double snr(short[] samples, int from, int length, double frequency) {
    if (from < 0 || length < 16 || from + length > samples.length) {
      throw new IllegalArgumentException("window " + from + "+" + length + " of " + samples.length + " samples");
    }
    double w = 2 * Math.PI * frequency / SAMPLE_RATE;
    // Normal equations of the least-squares fit x ~ a sin + b cos + c.
    double ss = 0, sc = 0, cc = 0, s1 = 0, c1 = 0, n = length, xs = 0, xc = 0, x1 = 0;
    for (int i = 0; i < length; i++) {
      double s = Math.sin(w * i);
      double c = Math.cos(w * i);
      double x = samples[from + i];
      ss += s * s; sc += s * c; cc += c * c; s1 += s; c1 += c;
      xs += x * s; xc += x * c; x1 += x;
    }
    double[] abc = solve3(new double[][] {{ss, sc, s1}, {sc, cc, c1}, {s1, c1, n}}, new double[] {xs, xc, x1});
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < length; i++) {
      double fit = abc[0] * Math.sin(w * i) + abc[1] * Math.cos(w * i);
      double r = samples[from + i] - fit - abc[2];
      signal += fit * fit;
      noise += r * r;
    }
    if (noise == 0) {
      return Double.POSITIVE_INFINITY;
    }
    return 10 * Math.log10(signal / noise);
  }

  private static double[] solve3(double[][] a, double[] b) {
    for (int col = 0; col < 3; col++) {
      int pivot = col;
      for (int r = col + 1; r < 3; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
          pivot = r;
        }
      }
      double[] tr = a[col]; a[col] = a[pivot]; a[pivot] = tr;
      double tb = b[col]; b[col] = b[pivot]; b[pivot] = tb;
      for (int r = 0; r < 3; r++) {
        if (r != col && a[col][col] != 0) {
          double f = a[r][col] / a[col][col];
          for (int k = col; k < 3; k++) {
            a[r][k] -= f * a[col][k];
          }
          b[r] -= f * b[col];
        }
      }
    }
    return new double[] {b[0] / a[0][0], b[1] / a[1][1], b[2] / a[2][2]};
  }
}
