import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { decodeCsv, displayWidth, formatTable, positiveInteger, readCsvFile } from './shared.js';
import { describeError, exitCodeOf } from './program.js';

// 東京都 in Shift_JIS: not valid UTF-8.
const TOKYO_SJIS = new Uint8Array([0x93, 0x8c, 0x8b, 0x9e, 0x93, 0x73]);

describe('CLI tables', () => {
  it('pads Japanese names by their display width', () => {
    assert.equal(displayWidth('千代田区 A'), 10);
    assert.deepEqual(formatTable(['名前', 'X'], [['千代田区', '1'], ['ab', '2']]), ['名前      X', '千代田区  1', 'ab        2']);
  });
});

describe('reading a CSV file', () => {
  let dir: string | undefined;
  const folder = async () => (dir ??= await mkdtemp(join(tmpdir(), 'hatoba-shared-')));
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  const io = () => {
    const err: string[] = [];
    return { err, io: { out: () => undefined, err: (l: string) => err.push(l), isTty: false } };
  };

  it('reads Shift_JIS bytes as Shift_JIS', () => {
    assert.deepEqual(decodeCsv(TOKYO_SJIS), { text: '東京都', encoding: 'shift_jis' });
  });

  it('reads a Shift_JIS file from disk as Shift_JIS and says so', async () => {
    const file = join(await folder(), 'sjis.csv');
    await writeFile(file, TOKYO_SJIS);
    const { err, io: cliIo } = io();
    assert.equal(await readCsvFile(file, cliIo), '東京都');
    assert.deepEqual(err, [`${file} is not UTF-8; read it as Shift_JIS`]);
  });

  it('refuses a missing file as invalid input (exit 2), naming the file', async () => {
    const file = join(await folder(), 'missing.csv');
    const error = await readCsvFile(file, io().io).then(
      () => assert.fail('a missing file was read'),
      (e: unknown) => e,
    );
    assert.equal(exitCodeOf(error), 2);
    assert.equal(describeError(error), `cannot read ${file}: no such file`);
  });

  it('refuses a folder given as the file as invalid input (exit 2)', async () => {
    const error = await readCsvFile(await folder(), io().io).then(
      () => assert.fail('a folder was read'),
      (e: unknown) => e,
    );
    assert.equal(exitCodeOf(error), 2);
    assert.match(describeError(error), /^cannot read .*hatoba-shared-/);
  });
});

describe('positive integer options', () => {
  it('accepts a whole number of at least 1', () => {
    assert.equal(positiveInteger('250'), 250);
  });

  for (const value of ['abc', '0', '-5', '1.5', '', '1e3']) {
    it(`refuses ${JSON.stringify(value)} as a usage error that exits 2`, () => {
      assert.throws(
        () => positiveInteger(value),
        (error: unknown) => error instanceof CommanderError && error.code === 'commander.invalidArgument' && error.exitCode === 2,
      );
    });
  }
});
