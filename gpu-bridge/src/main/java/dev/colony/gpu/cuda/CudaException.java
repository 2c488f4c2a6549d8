package dev.colony.gpu.cuda;

/** A CUDA or cuBLAS call failed; the message names the call and carries the library's own text. */
public final class CudaException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int code;

    /** A failure with the library's status code. */
    public CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The {@code cudaError_t} or {@code cublasStatus_t}; -1 when the call itself could not be made. */
    public int code() {
        return code;
    }

    static CudaException wrap(String what, Throwable t) {
        if (t instanceof CudaException c) {
            return c;
        }
        CudaException e = new CudaException(what + " could not be called: " + t, -1);
        e.initCause(t);
        return e;
    }
}
