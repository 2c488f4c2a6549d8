package dev.colony.actors.monitor;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.delivery.ConsumerController;
import akka.actor.typed.delivery.ProducerController;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The learner's side of feedback delivery: watches the monitors registered under
 * {@link Monitor#PRODUCERS} and connects one consumer controller to each (a consumer controller
 * serves one producer), all delivering to the learner. When the learner stops, its intake and
 * consumers stop with it; the next learner's intake connects new ones, and each monitor sends them
 * what the last learner did not confirm.
 */
public final class FeedbackIntake {

    private FeedbackIntake() {
    }

    /** An intake delivering every monitor's batches to {@code learner}. */
    public static Behavior<Receptionist.Listing> create(ActorRef<ConsumerController.Delivery<Feedback>> learner) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(Monitor.PRODUCERS, ctx.getSelf()));
            Map<ActorRef<ProducerController.Command<Feedback>>, ActorRef<ConsumerController.Command<Feedback>>> consumers =
                    new HashMap<>();
            int[] next = {0};
            return Behaviors.receiveMessage(listing -> {
                Set<ActorRef<ProducerController.Command<Feedback>>> producers =
                        listing.getServiceInstances(Monitor.PRODUCERS);
                for (var producer : producers) {
                    consumers.computeIfAbsent(producer, p -> {
                        ActorRef<ConsumerController.Command<Feedback>> c =
                                ctx.spawn(ConsumerController.create(), "from-" + next[0]++);
                        c.tell(new ConsumerController.Start<>(learner));
                        c.tell(new ConsumerController.RegisterToProducerController<>(p));
                        return c;
                    });
                }
                consumers.entrySet().removeIf(e -> {
                    if (!producers.contains(e.getKey())) {
                        ctx.stop(e.getValue());
                        return true;
                    }
                    return false;
                });
                return Behaviors.same();
            });
        });
    }
}
