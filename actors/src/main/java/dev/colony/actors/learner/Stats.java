package dev.colony.actors.learner;

import java.util.List;

/**
 * Welch's t-test, for the canary's verdict: whether one sample's mean is lower than another's with
 * confidence, without assuming equal variances. The Student t distribution comes from the
 * regularized incomplete beta function (Numerical Recipes' continued fraction).
 */
final class Stats {

    private Stats() {
    }

    /**
     * The one-sided p-value of "mean of {@code a} is lower than mean of {@code b}": small when a's
     * mean is clearly lower. Needs at least 2 values in each; 0.5 when both have no spread and
     * equal means.
     */
    static double pLower(List<Double> a, List<Double> b) {
        if (a.size() < 2 || b.size() < 2) {
            throw new IllegalArgumentException("Welch's test needs 2 values per sample, got " + a.size() + " and "
                    + b.size());
        }
        double ma = mean(a);
        double mb = mean(b);
        double va = variance(a, ma) / a.size();
        double vb = variance(b, mb) / b.size();
        if (va + vb == 0) {
            return ma < mb ? 0 : ma > mb ? 1 : 0.5;
        }
        double t = (ma - mb) / Math.sqrt(va + vb);
        double df = (va + vb) * (va + vb) / (va * va / (a.size() - 1) + vb * vb / (b.size() - 1));
        return studentCdf(t, df);
    }

    static double mean(List<Double> x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return x.isEmpty() ? Double.NaN : s / x.size();
    }

    private static double variance(List<Double> x, double mean) {
        double s = 0;
        for (double v : x) {
            s += (v - mean) * (v - mean);
        }
        return s / (x.size() - 1);
    }

    /** P(T ≤ t) for Student's t with {@code df} degrees of freedom. */
    static double studentCdf(double t, double df) {
        double tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
        return t > 0 ? 1 - tail : tail;
    }

    /** The regularized incomplete beta function I_x(a, b). */
    static double incompleteBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 300; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 / nonZero(1 + aa * d, tiny);
            c = nonZero(1 + aa / c, tiny);
            h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 / nonZero(1 + aa * d, tiny);
            c = nonZero(1 + aa / c, tiny);
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < 1e-14) {
                break;
            }
        }
        return h;
    }

    private static double nonZero(double v, double tiny) {
        return Math.abs(v) < tiny ? tiny : v;
    }

    /** Lanczos approximation of ln Γ(x), x > 0. */
    static double logGamma(double x) {
        double[] c = {76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155,
            0.1208650973866179e-2, -0.5395239384953e-5};
        double y = x;
        double tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.log(tmp);
        double ser = 1.000000000190015;
        for (double v : c) {
            ser += v / ++y;
        }
        return -tmp + Math.log(2.5066282746310005 * ser / x);
    }
}
