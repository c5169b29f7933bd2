import * as assert from 'assert';
import { Disposable, type IDisposable } from '../../src/disposable';

/** A Disposable whose registrations a test can make from outside. */
class Owner extends Disposable {
  own<T extends IDisposable>(value: T): T {
    return this.register(value);
  }
}

/** Something that records when it is released. */
function recorder(log: string[], name: string): IDisposable {
  return { dispose: () => log.push(name) };
}

describe('Disposable', () => {
  it('releases what it registered, newest first, and only once', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.own(recorder(log, 'panel'));
    owner.own(recorder(log, 'listener'));
    owner.own(recorder(log, 'watcher'));
    assert.strictEqual(owner.isDisposed, false);
    owner.dispose();
    assert.deepStrictEqual(log, ['watcher', 'listener', 'panel']);
    assert.strictEqual(owner.isDisposed, true);
    owner.dispose();
    assert.deepStrictEqual(log, ['watcher', 'listener', 'panel'], 'a second dispose() releases nothing again');
  });

  it('returns what it registers, so a field can be declared and owned in one line', () => {
    const owner = new Owner();
    const value = recorder([], 'emitter');
    assert.strictEqual(owner.own(value), value);
  });

  it('releases at once what is registered after it was disposed', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.dispose();
    owner.own(recorder(log, 'late'));
    assert.deepStrictEqual(log, ['late']);
  });

  it('releases the others when one throws, then throws the first error', () => {
    const log: string[] = [];
    const owner = new Owner();
    owner.own(recorder(log, 'first'));
    owner.own({
      dispose: () => {
        throw new Error('the second failed');
      },
    });
    owner.own({
      dispose: () => {
        throw new Error('the third failed');
      },
    });
    owner.own(recorder(log, 'fourth'));
    assert.throws(() => owner.dispose(), /the third failed/);
    assert.deepStrictEqual(log, ['fourth', 'first']);
    assert.doesNotThrow(() => owner.dispose(), 'disposed once, even when it threw');
  });
});
