/**
 * `topic-publish`: fans one publication out to every subscriber of a topic, exactly once per
 * subscriber. Instance id `topic-<topic>-<hash of the publication id>` (see the domain), so a
 * re-POST of the same publication finds this instance instead of starting a second fan-out.
 *
 * Reads the subscriber index, delivers to each subscriber in parallel (`topic-deliver`, which
 * checks the subscription in the agent's context and signals its mailbox; the mailbox keeps one
 * copy per event id, so an activity retried after a crash cannot deliver twice), then forwards the
 * publication to the external bus. All I/O is in those activities.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { DeliveryResultSchema, MessagingActivities, TOPIC_PUBLISH_NAME, TopicPublishInputSchema, fanOutTargets, type TopicPublishResult } from '../src/domain/index.js';
import { AGENT_ACTIVITY_RETRY, callTypedActivity } from './durable-call.js';

export function* topicPublish(context: OrchestrationContext): Generator<Task, TopicPublishResult, unknown> {
  const input = TopicPublishInputSchema.parse(context.df.getInput());
  const { topic, event } = input;
  context.df.setCustomStatus({ phase: 'subscribers', completedSteps: 0, totalSteps: 0 });
  const { agentIds } = yield* callTypedActivity(context, MessagingActivities.topicSubscribers, { topic });
  const targets = fanOutTargets(agentIds, input.exclude);
  context.df.setCustomStatus({ phase: 'delivering', completedSteps: 0, totalSteps: targets.length });
  const tasks = targets.map((agentId) => context.df.callActivityWithRetry(MessagingActivities.topicDeliver.name, AGENT_ACTIVITY_RETRY, MessagingActivities.topicDeliver.input.parse({ topic, agentId, event })));
  const raw = tasks.length === 0 ? [] : ((yield context.df.Task.all(tasks)) as unknown[]);
  const deliveries = raw.map((r) => DeliveryResultSchema.parse(r));
  let forwarded = false;
  if (input.forward) {
    context.df.setCustomStatus({ phase: 'forwarding', completedSteps: targets.length, totalSteps: targets.length });
    try {
      forwarded = (yield* callTypedActivity(context, MessagingActivities.busForward, { topic, event })).forwarded;
    } catch {
      // The agents have it; a bus that stays down after the retries only loses the external copy, reported as forwarded: false.
      forwarded = false;
    }
  }
  context.df.setCustomStatus({ phase: 'done', completedSteps: targets.length, totalSteps: targets.length });
  return { topic, eventId: event.id, deliveries, forwarded };
}

df.app.orchestration(TOPIC_PUBLISH_NAME, topicPublish);
