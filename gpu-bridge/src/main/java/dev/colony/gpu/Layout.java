package dev.colony.gpu;

/** How a {@link Matrix}'s elements are ordered in memory. */
public enum Layout {
    /** Rows one after another; the leading dimension is the distance between rows (C, NumPy). */
    ROW_MAJOR,
    /** Columns one after another; the leading dimension is the distance between columns (BLAS, cuBLAS). */
    COLUMN_MAJOR;

    /** The other order: a matrix's transpose is the same memory read in this order. */
    public Layout flip() {
        return this == ROW_MAJOR ? COLUMN_MAJOR : ROW_MAJOR;
    }
}
