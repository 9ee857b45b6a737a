import { describe, expect, it } from 'vitest';
import { parseOrchestratorFailure, parseOrchestratorState } from './orchestrator-state.js';

const replyJson = '{"isDone":false,"actions":[[{"functionName":"Hello","actionType":0,"input":"\\"Tokyo\\""},{"actionType":12,"compoundActions":[{"functionName":"Hello","actionType":0,"input":{"x":1}},{"fireAt":"2024-03-18T17:44:51.623Z","isCanceled":false,"actionType":5}]}]],"schemaVersion":2}';

describe('parseOrchestratorState', () => {
  it('parses the B.4 example reply including nested compound actions', () => {
    const state = parseOrchestratorState(JSON.parse(replyJson));
    expect(state.isDone).toBe(false);
    expect(state.actions[0]?.[1]).toEqual({
      actionType: 12,
      compoundActions: [
        { actionType: 0, functionName: 'Hello', input: { x: 1 } },
        { actionType: 5, fireAt: '2024-03-18T17:44:51.623Z', isCanceled: false },
      ],
    });
  });

  it('rejects a value that is not an OrchestratorState, naming the bad path', () => {
    expect(() => parseOrchestratorState({ isDone: false, actions: [[{ actionType: 0 }]] })).toThrow(/actions\.0\.0/);
  });
});

describe('parseOrchestratorFailure', () => {
  it('reads the state embedded after $OutOfProcData$ in a thrown error', () => {
    const err = new Error(`false\n\n$OutOfProcData$:{"isDone":false,"actions":[[]],"error":"boom","schemaVersion":3}`);
    expect(parseOrchestratorFailure(err)).toMatchObject({ message: 'boom', state: { error: 'boom', actions: [[]] } });
  });

  it('reads the out-of-process text form with a trailing stack, and a wrapped cause', () => {
    const text = `Result: Failure\nException: false\n\n$OutOfProcData$:{"isDone":false,"actions":[[]],"error":"bad"}\nStack: at x`;
    expect(parseOrchestratorFailure(text).message).toBe('bad');
    const wrapped = new Error('wrapper', { cause: new Error(`false\n\n$OutOfProcData$:{"isDone":false,"actions":[[]],"error":"inner"}`) });
    expect(parseOrchestratorFailure(wrapped).message).toBe('inner');
  });

  it('falls back to the error message when no state is embedded', () => {
    expect(parseOrchestratorFailure(new Error('could not load'))).toMatchObject({ message: 'could not load' });
    expect(parseOrchestratorFailure(new Error('could not load')).state).toBeUndefined();
  });
});
