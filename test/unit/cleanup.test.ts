import { describe, expect, it } from 'vitest';
import { pendingCleanups, registerCleanup, runCleanups } from '../../src/db/cleanup.js';

describe('the cleanup registry', () => {
  it('runs each cleanup once, newest first', async () => {
    const order: string[] = [];
    registerCleanup(async () => void order.push('folder'));
    const stopServer = registerCleanup(async () => void order.push('server'));
    await runCleanups();
    await stopServer();
    expect(order).toEqual(['server', 'folder']);
    expect(pendingCleanups()).toBe(0);
  });

  // Ctrl-C while the owner is already stopping its server (a command's own
  // `finally`): the folder the server runs in goes only once the server has stopped.
  it('waits for a stop its owner started before undoing what was registered earlier', async () => {
    const order: string[] = [];
    registerCleanup(async () => void order.push('folder removed'));
    let finish: () => void = () => undefined;
    const stopServer = registerCleanup(async () => {
      order.push('server stopping');
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      order.push('server stopped');
    });
    const owner = stopServer();
    const interrupted = runCleanups();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['server stopping']);
    finish();
    await Promise.all([owner, interrupted]);
    expect(order).toEqual(['server stopping', 'server stopped', 'folder removed']);
    expect(pendingCleanups()).toBe(0);
  });

  it('a cleanup that fails is unregistered and does not stop the others', async () => {
    const order: string[] = [];
    registerCleanup(async () => void order.push('first'));
    registerCleanup(async () => {
      throw new Error('no such server');
    });
    await runCleanups();
    expect(order).toEqual(['first']);
    expect(pendingCleanups()).toBe(0);
  });
});
