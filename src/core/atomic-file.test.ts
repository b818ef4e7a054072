import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicDir, AtomicWriteStream, writeFileAtomic } from './atomic-file.js';
import { fileWriteFailure, KefuError, RuntimeFailure } from './errors.js';
import { fullDisk } from './test-helpers/full-disk.js';

const temp = () => mkdtempSync(join(tmpdir(), 'kefu-atomic-'));

describe('atomic files', () => {
  it('writeFileAtomic replaces the file and leaves no temp behind', async () => {
    const dir = temp();
    const path = join(dir, 'a', 'b.txt');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'a'))).toEqual(['b.txt']);
  });

  it('AtomicWriteStream shows nothing until commit and nothing after abort', async () => {
    const dir = temp();
    const path = join(dir, 'out.jsonl');
    writeFileSync(path, 'old');
    const stream = await AtomicWriteStream.open(path);
    for (let i = 0; i < 20_000; i++) await stream.write(`{"i":${i},"pad":"${'x'.repeat(50)}"}\n`);
    expect(readFileSync(path, 'utf8')).toBe('old');
    await stream.commit();
    expect(readFileSync(path, 'utf8').split('\n').length).toBe(20_001);

    const aborted = await AtomicWriteStream.open(join(dir, 'never.txt'));
    await aborted.write('partial');
    await aborted.abort();
    expect(readdirSync(dir).sort()).toEqual(['out.jsonl']);
  });

  it('AtomicDir moves all files at once on commit and removes staging on abort', async () => {
    const dir = temp();
    const target = join(dir, 'result');
    const staged = await AtomicDir.create(target);
    writeFileSync(staged.file('x.json'), '1');
    await writeFileAtomic(staged.file('sub/y.json'), '2');
    expect(existsSync(target)).toBe(false);
    await staged.commit();
    expect(readFileSync(join(target, 'sub/y.json'), 'utf8')).toBe('2');
    expect(readdirSync(dir)).toEqual(['result']);

    const failed = await AtomicDir.create(join(dir, 'other'));
    writeFileSync(failed.file('z.json'), '3');
    await failed.abort();
    expect(readdirSync(dir)).toEqual(['result']);
  });
});

describe('atomic files on a full or failing disk', () => {
  const failure = async (promise: Promise<unknown>): Promise<KefuError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KefuError);
    return error as KefuError;
  };

  it('writeFileAtomic keeps the old file and leaves no temp on ENOSPC', async () => {
    const dir = temp();
    const path = join(dir, 'model.json');
    await writeFileAtomic(path, 'old');
    const disk = fullDisk({ capacity: 10 });
    const error = await failure(writeFileAtomic(path, 'x'.repeat(1000), disk));
    expect(error.code).toBe('E_DISK_FULL');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/no space left/);
    expect(error.hint).toMatch(/free some disk space/);
    expect(error.details).toMatchObject({ path, errno: 'ENOSPC' });
    expect(disk.opened).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['model.json']);
  });

  it('maps EDQUOT in fsync to E_DISK_FULL and EIO to E_WRITE', async () => {
    const dir = temp();
    const quota = await failure(
      writeFileAtomic(join(dir, 'a'), 'abc', fullDisk({ capacity: 1, code: 'EDQUOT', onSync: true })),
    );
    expect(quota.code).toBe('E_DISK_FULL');
    expect(quota.message).toMatch(/quota/);
    const io = await failure(writeFileAtomic(join(dir, 'b'), 'abc', fullDisk({ capacity: 0, code: 'EIO' })));
    expect(io.code).toBe('E_WRITE');
    expect(io.message).toContain(join(dir, 'b'));
    expect(io.message).toMatch(/I\/O error \(EIO\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('AtomicWriteStream fails cleanly when the disk fills up mid-stream', async () => {
    const dir = temp();
    const path = join(dir, 'out.jsonl');
    writeFileSync(path, 'old');
    const stream = await AtomicWriteStream.open(path, fullDisk({ capacity: 100_000 }));
    const error = await failure(
      (async () => {
        for (let i = 0; i < 10_000; i++) await stream.write(`{"i":${i},"pad":"${'x'.repeat(50)}"}\n`);
        await stream.commit();
      })(),
    );
    expect(error.code).toBe('E_DISK_FULL');
    expect(error.message).toContain(path);
    await stream.abort(); // what callers do in their catch: harmless now
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('AtomicWriteStream commit reports a failing fsync', async () => {
    const dir = temp();
    const path = join(dir, 'small.txt');
    const stream = await AtomicWriteStream.open(path, fullDisk({ capacity: 2, onSync: true }));
    await stream.write('hello');
    const error = await failure(stream.commit());
    expect(error.code).toBe('E_DISK_FULL');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('AtomicDir commit that cannot move its files removes the staging folder', async () => {
    const dir = temp();
    const target = join(dir, 'result');
    writeFileSync(target, 'a file where the folder should go');
    const staged = await AtomicDir.create(target);
    writeFileSync(staged.file('x.json'), '1');
    const error = await failure(staged.commit());
    expect(error.code).toBe('E_WRITE');
    expect(error.message).toContain(target);
    expect(readdirSync(dir)).toEqual(['result']);
    expect(readFileSync(target, 'utf8')).toMatch(/a file/);
  });

  it('fileWriteFailure maps errno codes and keeps KefuErrors', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(fileWriteFailure('/p', errno('ENOSPC')).code).toBe('E_DISK_FULL');
    expect(fileWriteFailure('/p', errno('EDQUOT')).code).toBe('E_DISK_FULL');
    expect(fileWriteFailure('/p', errno('EROFS')).message).toBe(
      'cannot write /p: the file system is read-only (EROFS)',
    );
    const other = fileWriteFailure('/p', new Error('boom'), 'the old one is intact');
    expect(other.code).toBe('E_WRITE');
    expect(other.message).toBe('cannot write /p: boom');
    expect(other.hint).toMatch(/; the old one is intact$/);
    const kefu = new RuntimeFailure('already typed', { code: 'E_X' });
    expect(fileWriteFailure('/p', kefu)).toBe(kefu);
  });
});
