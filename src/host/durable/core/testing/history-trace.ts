/** Test helper: a history reduced to the lines the orchestration tests compare. */
import type { HistoryEvent } from '../history-event.js';

/**
 * `"<type> <id>"` of each scheduling event (its own id) and each completion (the id it answers),
 * the pairing of durable-protocol.md B.9. With `control`, also how each execution ended
 * (`ExecutionCompleted <status>`) and where it was rewound (`ExecutionRewound`).
 */
export function taskTrace(history: readonly HistoryEvent[], options: { control?: boolean } = {}): string[] {
  return history.flatMap((e) => {
    switch (e.type) {
      case 'TaskScheduled':
      case 'TimerCreated':
      case 'SubOrchestrationInstanceCreated':
        return [`${e.type} ${e.eventId}`];
      case 'TaskCompleted':
      case 'TaskFailed':
      case 'SubOrchestrationInstanceCompleted':
      case 'SubOrchestrationInstanceFailed':
        return [`${e.type} ${e.taskScheduledId}`];
      case 'TimerFired':
        return [`${e.type} ${e.timerId}`];
      case 'ExecutionCompleted':
        return options.control ? [`${e.type} ${e.orchestrationStatus}`] : [];
      case 'ExecutionRewound':
        return options.control ? [e.type] : [];
      default:
        return [];
    }
  });
}
