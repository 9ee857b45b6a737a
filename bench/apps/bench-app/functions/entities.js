// W3: a counter entity, and an orchestration that calls it n times in sequence and returns the
// episode times (its currentUtcDateTime after each call), from which the harness gets per-call latency.
const df = require('durable-functions');

df.app.entity('Counter', (context) => {
  const value = context.df.getState(() => 0);
  switch (context.df.operationName) {
    case 'add':
      context.df.setState(value + context.df.getInput());
      break;
    case 'get':
      context.df.return(value);
      break;
  }
});

df.app.orchestration('CallCounter', function* (context) {
  const { key, n } = context.df.getInput();
  const counter = new df.EntityId('Counter', key);
  const times = [context.df.currentUtcDateTime.getTime()];
  let last = 0;
  for (let i = 0; i < n; i++) {
    yield context.df.callEntity(counter, 'add', 1);
    times.push(context.df.currentUtcDateTime.getTime());
  }
  last = yield context.df.callEntity(counter, 'get');
  return { last, times };
});
