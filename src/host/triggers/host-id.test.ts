import { describe, expect, it } from 'vitest';
import { hostIdFor } from './host-id.js';

describe('hostIdFor', () => {
  it('uses AOS_HOST_ID, made safe for a blob path', () => {
    expect(hostIdFor('/apps/x', { AOS_HOST_ID: 'My Host_1' })).toBe('my-host-1');
  });

  it('derives a stable id of at most 32 characters from the app folder', () => {
    const id = hostIdFor('/work/apps/My Very Long Function App Folder Name', {});
    expect(id).toBe(hostIdFor('/work/apps/My Very Long Function App Folder Name', {}));
    expect(id).toMatch(/^my-very-long-function-a-[0-9a-f]{8}$/);
    expect(id.length).toBeLessThanOrEqual(32);
  });

  it('gives two apps with the same folder name different ids', () => {
    expect(hostIdFor('/a/app', {})).not.toBe(hostIdFor('/b/app', {}));
  });
});
