/**
 * The planned training and inference path (internal): fused kernels over buffers planned once per
 * model and batch size. The model code calls the hooks; tests use the mode switch and the paths.
 */
export { kernelActivation } from './activation.js';
export {
  BatchTensors,
  fitWillPlan,
  plannedPredict,
  plannedTrainStep,
  trainingPlanFor,
} from './hooks.js';
export { buildInferencePlan, InferencePlan } from './inference-plan.js';
export { lossHead } from './loss-select.js';
export { getPlanMode, lastPaths, type PlanMode, type PlanPaths, setPlanMode } from './mode.js';
export { planStages, type Stage } from './stages.js';
export { BatchBuffers, buildTrainingPlan, TrainingPlan } from './training-plan.js';
