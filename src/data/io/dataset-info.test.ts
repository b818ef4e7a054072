/** dataset_info.json reading against LLaMA-Factory's own samples (../shared), and the LLaMA-Factory export. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Example } from '../example.js';
import { toRecord } from '../formats/index.js';
import { exportLlamaFactory, listDatasets, readDatasetInfo, writeDatasetInfo } from './dataset-info.js';
import { readAllExamples } from './read.js';

const SAMPLES = fileURLToPath(new URL('../../../../shared/data/llamafactory/', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-lf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LLaMA-Factory sample data', () => {
  it('lists local entries and skips remote ones', async () => {
    const listing = await readDatasetInfo(SAMPLES);
    const names = listing.datasets.map((d) => d.name);
    expect(names).toEqual(
      expect.arrayContaining(['alpaca_zh_demo', 'dpo_zh_demo', 'glaive_toolcall_zh_demo', 'identity']),
    );
    expect(listing.skipped.length).toBeGreaterThan(50);
    expect(listing.skipped.every((s) => s.reason === 'remote (hub or script) dataset')).toBe(true);
    const dpo = listing.datasets.find((d) => d.name === 'dpo_zh_demo')!;
    expect(dpo).toMatchObject({
      format: 'sharegpt_preference',
      kind: 'preference',
      file: join(SAMPLES, 'dpo_zh_demo.json'),
    });
  });

  it.each([
    ['alpaca_zh_demo', 1000],
    ['identity', 91],
    ['dpo_zh_demo', 300],
    ['glaive_toolcall_zh_demo', 300],
  ])('%s loads through its entry with zero issues', async (name, count) => {
    const entry = (await readDatasetInfo(SAMPLES)).datasets.find((d) => d.name === name)!;
    const { examples, issues } = await readAllExamples(entry.file, entry.read);
    expect(issues).toEqual([]);
    expect(examples).toHaveLength(count);
    expect(examples.every((e) => e.kind === entry.kind)).toBe(true);
    if (name === 'glaive_toolcall_zh_demo') {
      expect(examples.every((e) => typeof e.tools === 'string')).toBe(true);
      expect(examples.some((e) => e.messages.some((m) => m.role === 'function_call'))).toBe(true);
      expect(examples.some((e) => e.messages.some((m) => m.role === 'observation'))).toBe(true);
    }
    if (name === 'dpo_zh_demo') {
      expect(examples.every((e) => e.chosen && e.rejected && e.messages.at(-1)?.role === 'user')).toBe(true);
    }
  });

  it.each([
    ['alpaca_zh_demo.json', 'alpaca'],
    ['identity.json', 'alpaca'],
    ['dpo_zh_demo.json', 'sharegpt_preference'],
    ['glaive_toolcall_zh_demo.json', 'sharegpt'],
  ] as const)('%s round-trips record for record', async (name, format) => {
    const original = JSON.parse(await readFile(join(SAMPLES, name), 'utf8'));
    const { examples } = await readAllExamples(join(SAMPLES, name), { format });
    expect(examples.map((e) => toRecord(e, format))).toEqual(original);
  });

  it('the same files load without dataset_info by detection', async () => {
    for (const file of ['alpaca_zh_demo.json', 'dpo_zh_demo.json', 'glaive_toolcall_zh_demo.json']) {
      expect((await readAllExamples(join(SAMPLES, file))).issues).toEqual([]);
    }
  });
});

describe('listDatasets', () => {
  it('resolves formats, columns and tags', () => {
    const listing = listDatasets(
      {
        chat: {
          file_name: 'chat.jsonl',
          formatting: 'sharegpt',
          columns: { messages: 'messages' },
          tags: { role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant' },
        },
        rank: { file_name: 'rank.json', ranking: true, columns: { prompt: 'question' } },
        hub: { hf_hub_url: 'x/y' },
      },
      '/data',
    );
    expect(listing.datasets[0]).toMatchObject({ file: '/data/chat.jsonl', format: 'sharegpt', kind: 'sft' });
    expect(listing.datasets[0]?.read.tags?.role_tag).toBe('role');
    expect(listing.datasets[1]).toMatchObject({
      format: 'alpaca_preference',
      read: { columns: { prompt: 'question' } },
    });
    expect(listing.skipped).toEqual([{ name: 'hub', reason: 'remote (hub or script) dataset' }]);
  });

  it('reports bad entries by field', () => {
    expect(() => listDatasets({ x: { file_name: 'a.json', formatting: 'csv' } }, '/d')).toThrow(
      /x\.formatting/,
    );
    expect(() => listDatasets({ x: {} }, '/d')).toThrow(/file_name or a hub URL/);
    expect(() => listDatasets([], '/d')).toThrow(/object of dataset entries/);
  });
});

describe('export', () => {
  const sft: Example[] = [
    {
      kind: 'sft',
      messages: [
        { role: 'user', content: '订单到哪了' },
        { role: 'assistant', content: '已发货' },
      ],
      input: '单号 1',
    },
    {
      kind: 'sft',
      system: '客服',
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'q2' },
        { role: 'assistant', content: 'a2' },
      ],
    },
  ];
  const pref: Example[] = [
    { kind: 'preference', messages: [{ role: 'user', content: 'p' }], chosen: 'c', rejected: 'r' },
  ];

  it('writes alpaca and ranking files with a dataset_info.json that reads back', async () => {
    const out = join(dir, 'lf');
    const exported = await exportLlamaFactory(out, [
      { name: 'kefu_sft', examples: sft, kind: 'sft' },
      { name: 'kefu_dpo', examples: pref, kind: 'preference' },
    ]);
    expect(exported.map((e) => e.count)).toEqual([2, 1]);
    const info = JSON.parse(await readFile(join(out, 'dataset_info.json'), 'utf8'));
    expect(info.kefu_sft).toEqual({
      file_name: 'kefu_sft.json',
      formatting: 'alpaca',
      columns: {
        prompt: 'instruction',
        query: 'input',
        response: 'output',
        history: 'history',
        system: 'system',
      },
    });
    expect(info.kefu_dpo).toEqual({
      file_name: 'kefu_dpo.json',
      formatting: 'alpaca',
      ranking: true,
      columns: { prompt: 'instruction', query: 'input', chosen: 'chosen', rejected: 'rejected' },
    });
    const records = JSON.parse(await readFile(join(out, 'kefu_dpo.json'), 'utf8'));
    expect(records).toEqual([{ instruction: 'p', input: '', chosen: 'c', rejected: 'r' }]);
    const listing = await readDatasetInfo(out);
    for (const entry of listing.datasets) {
      const { examples, issues } = await readAllExamples(entry.file, entry.read);
      expect(issues).toEqual([]);
      const expected = entry.kind === 'sft' ? sft : pref;
      expect(examples.map(({ source, ...rest }) => rest)).toEqual(
        expected.map((e) => ({ ...e, input: e.input ?? '' })),
      );
    }
  });

  it('keeps other entries and leaves nothing on failure', async () => {
    const out = join(dir, 'lf2');
    await writeDatasetInfo(out, { theirs: { file_name: 'theirs.json' } });
    await writeDatasetInfo(out, { more: { file_name: 'more.json' } });
    await exportLlamaFactory(out, [{ name: 'kefu', examples: sft, kind: 'sft' }]);
    const info = JSON.parse(await readFile(join(out, 'dataset_info.json'), 'utf8'));
    expect(Object.keys(info)).toEqual(['theirs', 'more', 'kefu']);
    const before = (await readdir(dir)).sort();
    await expect(
      exportLlamaFactory(join(dir, 'lf3'), [{ name: 'bad', examples: pref, kind: 'sft' }]),
    ).rejects.toThrow(/cannot write/);
    expect((await readdir(dir)).sort()).toEqual(before);
    await expect(exportLlamaFactory(out, [{ name: '../x', examples: [], kind: 'sft' }])).rejects.toThrow(
      /names/,
    );
  });
});
