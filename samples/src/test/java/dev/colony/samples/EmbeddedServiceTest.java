package dev.colony.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.colony.actors.job.JobResult;
import dev.colony.runtime.Colony;
import dev.colony.runtime.ColonySettings;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddedServiceTest {

    @Test
    void shouldDiscoverUserKernelAndEstimatePi() throws Exception {
        try (Colony colony = Colony.start(ColonySettings.fromConfig(ConfigFactory.parseString("colony.node.cpus = 2")))) {
            assertTrue(colony.kernels().find("monte-carlo-pi").isPresent(), colony.kernels().knownNames());
            JobResult r = colony.submit(EmbeddedService.piJob("pi-test", 4, 200_000)).toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            assertEquals(JobResult.Outcome.SUCCEEDED, r.outcome(), r.reason());
            assertEquals(Math.PI, r.outputs().get("total").asDouble() / 4, 0.01);
        }
    }
}
