package dev.colony.actors.kernel;

import dev.colony.gpu.Blas;
import dev.colony.gpu.Matrix;

/**
 * C = A·B on a CPU backend as column tiles of C, with a check between tiles: how a gemm task is
 * cancelled (timeout, job failed) within about one tile instead of after the whole call, since a
 * BLAS call itself cannot be stopped. Each tile packs A again, so tiles are large: at least
 * {@value #ALIGN} columns and about {@value #FLOPS} floating-point operations (about 1.3 s at
 * 190 GFLOP/s, OpenBLAS on two Zen 5 cores). {@code GemmTilesBenchmark} measures the cost against
 * one call: within noise up to 6,144³ (one or two tiles), 2-4 % at 8,192³ (four tiles); 256-column
 * tiles cost 22 %. Stateless and thread-safe.
 */
public final class TiledGemm {

    /** Floating-point operations per tile. */
    public static final double FLOPS = 2.5e11;
    /** Tiles are a multiple of this many columns wide. */
    public static final int ALIGN = 1024;

    private TiledGemm() {
    }

    /** How wide the tiles of C = A·B of {@code flops} over {@code cols} columns are, for tiles of {@code tileFlops}. */
    public static int width(double flops, double tileFlops, int cols) {
        int tiles = (int) Math.max(1, Math.min(Math.ceil(flops / tileFlops), cols / ALIGN));
        return Math.ceilDiv(Math.ceilDiv(cols, tiles), ALIGN) * ALIGN;
    }

    /** How many tiles that makes. */
    public static int tiles(double flops, double tileFlops, int cols) {
        return Math.ceilDiv(cols, width(flops, tileFlops, cols));
    }

    /**
     * Runs C = A·B on {@code blas} in tiles of about {@code tileFlops}, calling {@code between} before
     * each (it throws to stop); returns how many tiles there were.
     */
    public static int multiply(Blas blas, Matrix a, Matrix b, Matrix c, double tileFlops, Runnable between) {
        int width = width(2.0 * a.rows() * a.cols() * b.cols(), tileFlops, b.cols());
        for (int j = 0; j < b.cols(); j += width) {
            between.run();
            int w = Math.min(width, b.cols() - j);
            blas.gemm(1.0, a, w == b.cols() ? b : b.block(0, j, b.rows(), w), 0.0,
                    w == c.cols() ? c : c.block(0, j, c.rows(), w));
        }
        return Math.ceilDiv(b.cols(), width);
    }
}
