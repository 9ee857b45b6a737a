// W1, W2, W6 and the chaos load: sequences, a fan-out and a flow with a timer and a
// sub-orchestration. Outputs are pure functions of the inputs, so a re-executed activity never
// changes a result; with BENCH_LOG set, each execution of `Slow` and `Square` appends a line so
// the harness can count re-executions after a kill.
const fs = require('node:fs');
const df = require('durable-functions');

function record(line) {
  if (process.env.BENCH_LOG) fs.appendFileSync(process.env.BENCH_LOG, `${Date.now()} ${line}\n`);
}

df.app.activity('Echo', { handler: (input) => input });

// 20 ms of work, as in W6.
df.app.activity('Slow', {
  handler: async (input, context) => {
    record(`Slow ${context.triggerMetadata?.instanceId ?? '?'} ${input}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    return input;
  },
});

df.app.activity('Square', {
  handler: (input, context) => {
    record(`Square ${context.triggerMetadata?.instanceId ?? '?'} ${input}`);
    return input * input;
  },
});

// Ten trivial activity steps in sequence: the output is the sum 0 + 1 + ... + 9 = 45.
df.app.orchestration('HelloSequence', function* (context) {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += yield context.df.callActivity('Echo', i);
  return sum;
});

// The same with a 20 ms activity (W6): 45 again.
df.app.orchestration('SlowSequence', function* (context) {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += yield context.df.callActivity('Slow', i);
  return sum;
});

// n activities at once (default 100): the sum 0 + ... + n-1.
df.app.orchestration('FanOut', function* (context) {
  const n = context.df.getInput() ?? 100;
  const tasks = [];
  for (let i = 0; i < n; i++) tasks.push(context.df.callActivity('Echo', i));
  const results = yield context.df.Task.all(tasks);
  return results.reduce((a, b) => a + b, 0);
});

// The chaos flow: an activity, a durable timer, a sub-orchestration with two parallel activities.
// Output: n^2 + (n+1)^2 + (n+2)^2.
df.app.orchestration('ChaosFlow', function* (context) {
  const n = context.df.getInput();
  const own = yield context.df.callActivity('Square', n);
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 300));
  const rest = yield context.df.callSubOrchestrator('ChaosChild', n, `${context.df.instanceId}-child`);
  return own + rest;
});

df.app.orchestration('ChaosChild', function* (context) {
  const n = context.df.getInput();
  const [a, b] = yield context.df.Task.all([context.df.callActivity('Square', n + 1), context.df.callActivity('Square', n + 2)]);
  return a + b;
});
