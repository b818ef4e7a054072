import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomicDir, AtomicWriteStream, writeFileAtomic } from './atomic-file.js';

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
