import { describe, expect, it } from 'vitest';
import { WakeableSleep } from './wakeable-sleep.js';

describe('WakeableSleep', () => {
  it('ends a long sleep as soon as it is woken', async () => {
    const pause = new WakeableSleep();
    const started = Date.now();
    const sleeping = pause.sleep(60_000);
    pause.wake();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('ends on its own after the delay, and a wake with nobody asleep is harmless', async () => {
    const pause = new WakeableSleep();
    pause.wake();
    let done = false;
    const sleeping = pause.sleep(20).then(() => (done = true));
    expect(done).toBe(false);
    await sleeping;
    expect(done).toBe(true);
    pause.wake();
  });
});
