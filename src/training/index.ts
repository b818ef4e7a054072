/**
 * Public surface of kefu's training area, for the CLI (`kefu train`) and the server: recipes,
 * the trainer, checkpoints and the data → token encoders. Re-exports only.
 */
export { checkHashes, listCheckpoints, loadCheckpoint, type RunHashes } from './checkpoint.js';
export {
  collate,
  type Encoded,
  type EncodedPair,
  encodePreference,
  encodePretrain,
  encodeSft,
  inferSeqlen,
} from './encode.js';
export { type DpoMetrics, dpoLoss, sftLoss } from './losses.js';
export type { ReferenceLogps } from './objective.js';
export { AdamW, clipGradNorm, makeSchedule } from './optim.js';
export {
  datasetNames,
  loadRecipe,
  loraAlpha,
  loraTargets,
  parseRecipe,
  type Recipe,
  recipeSchema,
} from './recipe.js';
export {
  hashExamples,
  loadTrainingData,
  type RunTrainingOptions,
  runTraining,
  type TrainingData,
} from './run.js';
export { ChatMlTemplate } from './template.js';
export { type TrainOptions, type TrainResult, train } from './trainer.js';
export { type LogEntry, TRAINER_LOG } from './trainer-log.js';
