import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { backends, type TestDatabase } from '../../store/testing.js';
import { createWorkflowStore } from '../../store/workflow-store.js';
import { systemClock } from '../../app/ports/clock.js';
import type { WorkflowStore } from '../../app/ports/workflow-store.js';
import { defineWorkflow, type StepDefinition } from './definition.js';
import { WorkflowRunner } from './runner.js';

const fastRetry = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 };

type State = { a?: number; b?: number };
const State = z.object({ a: z.number().optional(), b: z.number().optional() });
const Input = z.object({ n: z.number() });

function toyWorkflow(effects: string[], overrides: Partial<Record<string, StepDefinition<z.infer<typeof Input>, State>['run']>> = {}) {
  const step = (name: string, run: StepDefinition<z.infer<typeof Input>, State>['run']): StepDefinition<z.infer<typeof Input>, State> => ({
    name,
    run: overrides[name] ?? run,
  });
  return defineWorkflow<z.infer<typeof Input>, State>({
    name: 'toy',
    input: Input,
    state: State,
    steps: [
      step('one', async ({ input }) => {
        effects.push(`one:${input.n}`);
        return { type: 'done', patch: { a: input.n } };
      }),
      { ...step('slotted', async ({ input }) => {
        effects.push(`slotted:${input.n}`);
        await new Promise((r) => setTimeout(r, 5));
        return { type: 'done' };
      }), slot: () => 'toy-slot', releasesSlot: true },
      step('two', async ({ input, state }) => {
        effects.push(`two:${input.n}`);
        return { type: 'done', patch: { b: (state.a ?? 0) * 2 } };
      }),
    ],
    classify: (error) =>
      error instanceof Error && error.message.startsWith('transient')
        ? { kind: 'transient', code: 'flaky', message: error.message }
        : { kind: 'permanent', code: 'broken', message: String(error), action: 'abandon' },
  });
}

async function until(store: WorkflowStore, ids: string[], done: (s: string) => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const runs = await Promise.all(ids.map((id) => store.getRun(id)));
    if (runs.every((r) => r !== undefined && done(r.status))) return;
    if (Date.now() > end) throw new Error(`runs not finished: ${runs.map((r) => `${r?.id}:${r?.status}@${r?.currentStep}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const newRuns = (count: number, prefix = 'r') =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, workflow: 'toy', subject: `${prefix}${i}`, input: { n: i }, firstStep: 'one', needsSlot: null }));

for (const backend of backends()) {
  describe(`workflow runner on ${backend.name}`, () => {
    let t: TestDatabase;
    let store: WorkflowStore;
    before(async () => {
      t = await backend.open();
      store = createWorkflowStore(t.db);
    });
    after(async () => t.dispose());

    it('runs every step in declared order and records each in the timeline', async () => {
      const effects: string[] = [];
      await store.createRuns(newRuns(1, 'order'), new Date());
      const runner = new WorkflowRunner({ store, clock: systemClock, workflows: [toyWorkflow(effects)], owner: 'w1', concurrency: 2, slots: { 'toy-slot': 1 }, idlePollMs: 20, retry: fastRetry });
      await runner.start();
      await until(store, ['order0'], (s) => s === 'succeeded');
      await runner.stop();
      assert.deepEqual(effects, ['one:0', 'slotted:0', 'two:0']);
      const run = await store.getRun('order0');
      assert.deepEqual(run?.state, { a: 0, b: 0 });
      const steps = await store.listSteps('order0');
      assert.deepEqual(steps.map((s) => [s.step, s.status, s.attempts]), [['one', 'succeeded', 1], ['slotted', 'succeeded', 1], ['two', 'succeeded', 1]]);
      assert.deepEqual(await store.slotHolders('toy-slot'), []);
    });

    it('a resubmitted subject creates no second run', async () => {
      const first = await store.createRuns(newRuns(2, 'dup'), new Date());
      const second = await store.createRuns(newRuns(2, 'dup').map((r) => ({ ...r, id: `${r.id}-again` })), new Date());
      assert.equal(first.length, 2);
      assert.deepEqual(second, []);
      await store.abandon('dup0', new Date());
      await store.abandon('dup1', new Date());
    });

    it('never lets more runs hold a slot than its capacity, across several runners', async () => {
      const effects: string[] = [];
      let inSlot = 0;
      let maxInSlot = 0;
      const workflow = toyWorkflow(effects, {
        slotted: async () => {
          inSlot += 1;
          maxInSlot = Math.max(maxInSlot, inSlot);
          await new Promise((r) => setTimeout(r, 15));
          inSlot -= 1;
          return { type: 'done' };
        },
      });
      const ids = (await store.createRuns(newRuns(24, 'cap'), new Date()));
      const runners = ['a', 'b', 'c'].map(
        (owner) => new WorkflowRunner({ store, clock: systemClock, workflows: [workflow], owner, concurrency: 4, slots: { 'toy-slot': 2 }, idlePollMs: 10, retry: fastRetry }),
      );
      await Promise.all(runners.map((r) => r.start()));
      await until(store, ids, (s) => s === 'succeeded');
      await Promise.all(runners.map((r) => r.stop()));
      assert.ok(maxInSlot <= 2, `max in slot was ${maxInSlot}`);
      assert.equal(maxInSlot, 2);
    });

    it('retries a transient error with backoff and then succeeds', async () => {
      let calls = 0;
      const workflow = toyWorkflow([], {
        two: async () => {
          calls += 1;
          if (calls < 3) throw new Error('transient glitch');
          return { type: 'done' };
        },
      });
      await store.createRuns(newRuns(1, 'flaky'), new Date());
      const runner = new WorkflowRunner({ store, clock: systemClock, workflows: [workflow], owner: 'w', concurrency: 1, slots: { 'toy-slot': 1 }, idlePollMs: 10, retry: fastRetry });
      await runner.start();
      await until(store, ['flaky0'], (s) => s === 'succeeded');
      await runner.stop();
      const two = (await store.listSteps('flaky0')).find((s) => s.step === 'two');
      assert.equal(two?.attempts, 3);
      assert.equal(two?.lastError?.code, 'flaky');
    });

    it('stops on a permanent error with a reason and an action, and an operator retry resumes at that step', async () => {
      let broken = true;
      const effects: string[] = [];
      const workflow = toyWorkflow(effects, {
        two: async () => {
          effects.push('two');
          if (broken) throw new Error('no such thing');
          return { type: 'done' };
        },
      });
      await store.createRuns(newRuns(1, 'perm'), new Date());
      const runner = new WorkflowRunner({ store, clock: systemClock, workflows: [workflow], owner: 'w', concurrency: 1, slots: { 'toy-slot': 1 }, idlePollMs: 10, retry: fastRetry });
      await runner.start();
      await until(store, ['perm0'], (s) => s === 'failed');
      const failed = await store.getRun('perm0');
      assert.equal(failed?.failure?.code, 'broken');
      assert.equal(failed?.failure?.step, 'two');
      assert.equal(failed?.failure?.action, 'abandon');
      broken = false;
      await store.retry('perm0', new Date(), null);
      runner.wake();
      await until(store, ['perm0'], (s) => s === 'succeeded');
      await runner.stop();
      assert.deepEqual(effects, ['one:0', 'slotted:0', 'two', 'two']);
    });

    it('gives up on a transient error after the attempt limit', async () => {
      const workflow = toyWorkflow([], { one: async () => Promise.reject(new Error('transient forever')) });
      await store.createRuns(newRuns(1, 'exhaust'), new Date());
      const runner = new WorkflowRunner({ store, clock: systemClock, workflows: [workflow], owner: 'w', concurrency: 1, slots: {}, idlePollMs: 10, retry: fastRetry });
      await runner.start();
      await until(store, ['exhaust0'], (s) => s === 'failed');
      await runner.stop();
      const run = await store.getRun('exhaust0');
      assert.equal(run?.failure?.code, 'retries_exhausted');
    });

    it('gives a free slot to the oldest waiting run before any other work', async () => {
      const general = newRuns(3, 'busy');
      const waiting = newRuns(2, 'slotq').map((r) => ({ ...r, firstStep: 'slotted', needsSlot: 'prio-slot' }));
      await store.createRuns([...general, ...waiting], new Date());
      const lease = { owner: 'prio', now: new Date(), leaseMs: 60_000 };
      const [first] = await store.claim(lease, { general: 1, total: 1 }, { 'prio-slot': 1 });
      assert.equal(first?.id, 'slotq0');
      assert.deepEqual(await store.slotHolders('prio-slot'), ['slotq0']);
      // Releasing the slot hands it straight to the next waiter, leased to the same worker.
      const result = await store.transition('slotq0', { kind: 'fail', step: 'slotted', failure: { step: 'slotted', code: 'x', message: 'x', action: 'abandon', at: '' } }, lease);
      assert.deepEqual(await store.slotHolders('prio-slot'), ['slotq1']);
      assert.deepEqual(result.heirs.map((r) => [r.id, r.status, r.leaseOwner]), [['slotq1', 'running', 'prio']]);
      // Given back (the worker stops), it is the first thing any worker claims.
      await store.releaseLeases(['slotq1'], lease);
      const [second] = await store.claim({ ...lease, now: new Date() }, { general: 1, total: 1 }, { 'prio-slot': 1 });
      assert.equal(second?.id, 'slotq1');
      for (const id of ['slotq0', 'slotq1', 'busy0', 'busy1', 'busy2']) {
        const run = await store.getRun(id);
        if (run?.status === 'running') await store.transition(id, { kind: 'fail', step: run.currentStep ?? '', failure: { step: '', code: 'x', message: 'x', action: 'abandon', at: '' } }, { ...lease, now: new Date() });
        if ((await store.getRun(id))?.status !== 'abandoned') await store.abandon(id, new Date());
      }
    });

    it('a worker with no room left sleeps instead of claiming again and again', async () => {
      let release: () => void = () => undefined;
      const blocked = new Promise<void>((r) => (release = r));
      const workflow = toyWorkflow([], { one: async () => { await blocked; return { type: 'done' }; } });
      await store.createRuns(newRuns(3, 'full'), new Date());
      let claims = 0;
      const counting: WorkflowStore = { ...store, claim: (...args) => { claims += 1; return store.claim(...args); } };
      const runner = new WorkflowRunner({ store: counting, clock: systemClock, workflows: [workflow], owner: 'full', concurrency: 1, slots: { 'toy-slot': 1 }, idlePollMs: 50, retry: fastRetry });
      await runner.start();
      await new Promise((r) => setTimeout(r, 300));
      const during = claims;
      release();
      await until(store, ['full0', 'full1', 'full2'], (st) => st === 'succeeded');
      await runner.stop();
      // One step blocks the only place while two more runs are due: a few polls, not a busy loop.
      assert.ok(during < 20, `claimed ${during} times in 300 ms`);
    });

    it('a stopping worker gives back at once the run it was about to go on with', async () => {
      let release: () => void = () => undefined;
      const blocked = new Promise<void>((r) => (release = r));
      const workflow = toyWorkflow([], { one: async () => { await blocked; return { type: 'done' }; } });
      await store.createRuns(newRuns(1, 'stopping'), new Date());
      const runner = new WorkflowRunner({ store, clock: systemClock, workflows: [workflow], owner: 'stopping', concurrency: 1, slots: { 'toy-slot': 1 }, idlePollMs: 20, leaseMs: 60_000, retry: fastRetry });
      await runner.start();
      await until(store, ['stopping0'], (st) => st === 'running');
      const stopped = runner.stop();
      release();
      await stopped;
      const run = await store.getRun('stopping0');
      assert.equal(run?.currentStep, 'slotted');
      assert.equal(run?.leaseOwner, null, 'no lease left to run out');
      assert.equal(run?.status, 'pending');
      await store.abandon('stopping0', new Date());
    });

    it('a worker that lost its lease cannot write its outcome', async () => {
      await store.createRuns(newRuns(1, 'fence'), new Date());
      const [run] = await store.claim({ owner: 'old', now: new Date(), leaseMs: 1 }, { general: 1, total: 1 }, {});
      assert.equal(run?.id, 'fence0');
      await new Promise((r) => setTimeout(r, 5));
      const [taken] = await store.claim({ owner: 'new', now: new Date(), leaseMs: 60_000 }, { general: 1, total: 1 }, {});
      assert.equal(taken?.id, 'fence0');
      const stale = await store.transition('fence0', { kind: 'fail', step: 'one', failure: { step: 'one', code: 'x', message: 'x', action: 'retry', at: '' } }, { owner: 'old', now: new Date(), leaseMs: 1 });
      assert.deepEqual(stale, { heirs: [] });
      assert.equal((await store.getRun('fence0'))?.status, 'running');
      await store.transition('fence0', { kind: 'fail', step: 'one', failure: { step: 'one', code: 'x', message: 'x', action: 'retry', at: '' } }, { owner: 'new', now: new Date(), leaseMs: 1 });
      await store.abandon('fence0', new Date());
    });
  });
}
