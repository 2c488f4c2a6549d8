package dev.colony.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlasBackendsTest {

    @Test
    void shouldPreferOpenBlasAndAlwaysOfferJava() {
        BlasBackends b = BlasBackends.detect();
        List<String> names = b.usable().stream().map(Blas::name).toList();
        assertEquals(List.of("openblas", "java"), names, b.describe()::toString); // the bundled build is a dependency
        assertEquals("openblas", b.best().name());
        assertTrue(b.describe().stream().anyMatch(l -> l.startsWith("cuBLAS: ")), b.describe()::toString);
    }
}
