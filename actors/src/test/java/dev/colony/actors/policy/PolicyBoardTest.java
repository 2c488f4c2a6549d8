package dev.colony.actors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which policy each job gets while a canary is on trial. */
class PolicyBoardTest {

    private static final PolicyGenome GENOME = PolicyGenome.EARLIEST_FINISH;

    @Test
    void shouldGiveTheCanaryAtMostItsSliceOfJobs() {
        PolicyBoard board = new PolicyBoard(new RoundRobinPolicy());
        assertEquals(0, board.assign());
        board.deploy(Deployment.INITIAL.withCanary(1, GENOME, 0.3));
        int canary = 0;
        for (int i = 1; i <= 100; i++) {
            canary += board.assign() == 1 ? 1 : 0;
            assertTrue(canary <= Math.floor(0.3 * i + 1e-9), canary + " of " + i);
        }
        assertEquals(30, canary);
        board.deploy(board.deployment().promoted());
        assertEquals(1, board.assign());
        assertEquals("evolved-v1", board.policy(1).name());
    }

    @Test
    void shouldPlaceAnUnknownVersionWithTheIncumbent() {
        RoundRobinPolicy base = new RoundRobinPolicy();
        PolicyBoard board = new PolicyBoard(base);
        assertSame(base, board.policy(0));
        assertSame(base, board.policy(7));
        board.deploy(new Deployment(3, GENOME, 0, null, 0.1));
        assertEquals(3, board.policy(7).version());
        assertSame(base, board.policy(0));
    }

    @Test
    void shouldRefuseADeploymentWithoutGenomesOrWithASliceOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Deployment(1, null, 0, null, 0.1));
        var e = assertThrows(IllegalArgumentException.class, () -> new Deployment(0, null, 2, GENOME, 1.5));
        assertTrue(e.getMessage().contains("canary slice 1.5 outside (0, 1]"), e.getMessage());
    }
}
