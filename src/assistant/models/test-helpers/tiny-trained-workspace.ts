/**
 * Test helper: a throw-away workspace with the layout `kefu quickstart` leaves behind — the
 * committed base model in models/base, an SFT LoRA adapter in models/sft and a DPO adapter trained
 * on top of it in models/dpo — made in a few seconds by the real trainer (the seed's recipes from
 * examples/train/, cut to a handful of examples and steps). The adapters are real but barely
 * trained: tests check loading, merging and decoding, not answer quality (the eval measures that).
 * Not shipped.
 */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_PROMPT } from '../../../shop/sample/dialogue/phrases.js';
import { loadRecipe } from '../../../training/recipe.js';
import { trainRecipe } from '../../../training/workflow.js';

const REPO = new URL('../../../../', import.meta.url);
export const BASE_MODEL = fileURLToPath(new URL('assets/base-model/', REPO));
const RECIPES = fileURLToPath(new URL('examples/train/', REPO));

const FACTS = [
  ['DD20240315521468', '顺丰', 'SF3538806364092', '已签收'],
  ['DD20240402118830', '中通', '74972906241576', '运输中'],
  ['DD20240511093317', '圆通', 'YT9912003388411', '派送中'],
  ['DD20240620774102', '韵达', '4312998800213', '已揽收'],
] as const;

function examples() {
  return FACTS.flatMap(([order, carrier, waybill, status]) => {
    const facts = `订单号: ${order}\n承运商: ${carrier}\n运单号: ${waybill}\n物流状态: ${status}`;
    const good = `您好，订单${order}由${carrier}承运，运单号${waybill}，当前状态：${status}。`;
    const bad = '亲，这个我不太清楚呢。';
    return [
      { question: `请问${order} 物流怎么样了\n${facts}`, good, bad },
      { question: `${order}到哪了\n${facts}`, good, bad },
    ];
  });
}

const ALPACA = {
  formatting: 'alpaca',
  columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system' },
};
const RANKING = {
  formatting: 'alpaca',
  ranking: true,
  columns: {
    prompt: 'instruction',
    query: 'input',
    chosen: 'chosen',
    rejected: 'rejected',
    system: 'system',
  },
};

/** Eight SFT examples and eight preference pairs in LLaMA-Factory's layout under `root`. */
async function writeDatasets(root: string): Promise<void> {
  const dir = join(root, 'datasets/llamafactory');
  await mkdir(dir, { recursive: true });
  const all = examples();
  const sft = all.map((e) => ({ instruction: e.question, input: '', output: e.good, system: SYSTEM_PROMPT }));
  const dpo = all.map((e) => ({
    instruction: e.question,
    input: '',
    chosen: e.good,
    rejected: e.bad,
    system: SYSTEM_PROMPT,
  }));
  await writeFile(join(dir, 'kefu_sft_train.json'), JSON.stringify(sft));
  await writeFile(join(dir, 'kefu_dpo.json'), JSON.stringify(dpo));
  await writeFile(
    join(dir, 'dataset_info.json'),
    JSON.stringify({
      kefu_sft_train: { file_name: 'kefu_sft_train.json', ...ALPACA },
      kefu_dpo: { file_name: 'kefu_dpo.json', ...RANKING },
    }),
  );
}

/** Short runs of the seed's recipes: two optimizer steps each, no validation split. */
const QUICK = [
  'num_train_epochs=1',
  'max_steps=2',
  'val_size=0',
  'eval_strategy=no',
  'logging_steps=1',
  'save_steps=100000',
  'cutoff_len=128',
  'per_device_train_batch_size=4',
];

/**
 * A new workspace under the system temp folder (or `dir`) with models/base, models/sft and
 * models/dpo, trained by the real trainer. Returns its root.
 */
export async function tinyTrainedWorkspace(dir?: string): Promise<string> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'kefu-tiny-ws-')));
  await cp(BASE_MODEL, join(root, 'models/base'), { recursive: true });
  await writeDatasets(root);
  for (const file of ['sft_lora.yaml', 'dpo_lora.yaml']) {
    const recipe = loadRecipe(join(RECIPES, file), QUICK);
    await trainRecipe({ recipe, baseDir: root });
  }
  return root;
}
