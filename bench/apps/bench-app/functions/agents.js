// The agent STAND-IN (not the AOS app): an entity per agent holding a mailbox, and an eternal loop
// orchestration per agent that takes the mailbox, handles it in an activity and continues as new,
// or, with nothing to do, waits for a `wake` event or a long heartbeat timer. Same shape as AOS's
// agent entity + agent-loop, without inference, transcripts or a directory, so the figures are the
// engine's. The entity counts how often each event id was enqueued (`applied`) and keeps, per
// handled event, the delay from the client's send (`sentAt`) to the take that handed it to the loop.
const fs = require('node:fs');
const df = require('durable-functions');

function record(line) {
  if (process.env.BENCH_LOG) fs.appendFileSync(process.env.BENCH_LOG, `${Date.now()} ${line}\n`);
}

const empty = () => ({ mailbox: [], applied: {}, handled: {} });

df.app.entity('Agent', (context) => {
  const state = context.df.getState(empty);
  switch (context.df.operationName) {
    case 'enqueue': {
      const { id, sentAt } = context.df.getInput();
      state.applied[id] = (state.applied[id] ?? 0) + 1;
      // A re-sent id (a client retry after a lost answer) is kept once, as AOS does.
      if (state.handled[id] === undefined && !state.mailbox.some((e) => e.id === id)) state.mailbox.push({ id, sentAt });
      context.df.setState(state);
      break;
    }
    case 'take': {
      const now = Date.now();
      const events = state.mailbox;
      for (const e of events) state.handled[e.id] = now - e.sentAt;
      state.mailbox = [];
      context.df.setState(state);
      context.df.return(events.map((e) => e.id));
      break;
    }
    case 'get':
      context.df.return(state);
      break;
  }
});

df.app.activity('Handle', {
  handler: (input, context) => {
    record(`Handle ${context.triggerMetadata?.instanceId ?? '?'} ${input.join(',')}`);
    return input.length;
  },
});

df.app.orchestration('AgentLoop', function* (context) {
  const input = context.df.getInput();
  const agent = new df.EntityId('Agent', input.agentId);
  const ids = yield context.df.callEntity(agent, 'take');
  if (ids.length === 0) {
    context.df.setCustomStatus('sleeping');
    const wake = context.df.waitForExternalEvent('wake');
    const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + input.heartbeatSeconds * 1000));
    const winner = yield context.df.Task.any([wake, timer]);
    if (winner === wake) timer.cancel();
  } else {
    context.df.setCustomStatus('processing');
    yield context.df.callActivity('Handle', ids);
  }
  context.df.continueAsNew({ ...input, generation: input.generation + 1 });
  return undefined;
});
