package dev.colony.gpu.java;

import dev.colony.gpu.Blas;
import dev.colony.gpu.BlasContract;

class JavaBlasTest extends BlasContract {

    private final JavaBlas blas = new JavaBlas();

    @Override
    protected Blas blas() {
        return blas;
    }
}
