/**
 * Axon — feed-forward neural networks in TypeScript. This module is the public face:
 * `import * as ax from 'axon-nn'`.
 */
export { backpropagate, isRecording, noGrad, topologicalOrder } from './autograd/backprop.js';
export {
  checkGradients,
  type GradientCheckOptions,
  type GradientCheckResult,
  type InputGradientCheck,
} from './autograd/check.js';
export { grad, grads, valueAndGrad, valueAndGrads, variable, variableGrads } from './autograd/grad.js';
export type { Backend, BinaryOp, MatMulDims, ReduceDims, UnaryOp } from './backend/backend.js';
export { getBackend, ready, registerBackend, setBackend } from './backend/registry.js';
export { getThreads, setThreads } from './backend/wasm/threads.js';
export {
  type CategoricalEncoding,
  type CsvDataset,
  type CsvFeatureColumn,
  type CsvFeatures,
  type CsvOptions,
  type CsvSchema,
  type CsvTask,
  type LabelOrder,
  type MissingPolicy,
  parseCsv,
  parseCsvFeatures,
} from './data/csv.js';
export { datasets } from './data/datasets.js';
export type { DiabetesData, IrisVariant, RealLoadOptions, WineOptions } from './data/datasets-real.js';
export type { FetchLike, FetchResponseLike } from './data/download.js';
export { encodeIdx, type IdxArray, type IdxKind, type ParseIdxOptions, parseIdx } from './data/idx.js';
export {
  type IdxSetLoader,
  idxImagesToTensor,
  idxLabelsToTensor,
  type MnistBytes,
  type MnistData,
  type MnistLoadOptions,
} from './data/mnist.js';
export {
  type Batch,
  type BatchOptions,
  batches,
  MinMaxScaler,
  type MinMaxScalerJSON,
  type MinMaxScalerOptions,
  minMaxScaler,
  oneHot,
  type Scaler,
  type ScalerJSON,
  type Split,
  StandardScaler,
  type StandardScalerJSON,
  scalerFromJSON,
  shuffle,
  standardScaler,
  type TrainTestSplitOptions,
  trainTestSplit,
} from './data/preprocessing.js';
export {
  type BlobsOptions,
  type Gate,
  type LoadSyntheticOptions,
  listSyntheticDatasets,
  loadSynthetic,
  type SyntheticDataset,
  type SyntheticDatasetInfo,
  type SyntheticOptions,
  type SyntheticTask,
} from './data/synthetic.js';
export {
  type IOHandler,
  type IORouter,
  io,
  type JsonObject,
  type JsonValue,
  loadModel,
  type MemoryHandler,
  type ModelArtifacts,
  type ModelJson,
  type SaveConfig,
  type SaveResult,
  type TrainingConfig,
  type WeightDType,
  type WeightSpec,
  type WeightsManifestEntry,
} from './io/index.js';
export type { Callback, CallbackModel, Logs, TrainParams } from './model/callback-list.js';
export {
  callbacks,
  EarlyStopping,
  type EarlyStoppingArgs,
  type MonitorMode,
  ReduceLROnPlateau,
  type ReduceLROnPlateauArgs,
  TerminateOnNaN,
  type TerminateOnNaNArgs,
} from './model/callbacks.js';
export type { CompileArgs } from './model/compile.js';
export type { EvaluateArgs, FitArgs } from './model/fit.js';
export {
  type BatchIterable,
  type BatchIterator,
  type Dataset,
  type DatasetBatch,
  data,
  type EvaluateDatasetArgs,
  type FitDatasetArgs,
} from './model/fit-dataset.js';
export { History } from './model/history.js';
export {
  type LabelCoding,
  Perceptron,
  type PerceptronFitOptions,
  type PerceptronFitResult,
  type PerceptronOptions,
  type PerceptronStep,
} from './model/perceptron.js';
export {
  formatLogs,
  LineProgressReporter,
  type ProgressReporter,
  type ProgressReporterFactory,
  registerProgressReporter,
} from './model/progress.js';
export { type PredictArgs, Sequential, type SequentialArgs, sequential } from './model/sequential.js';
export type { SummaryOptions } from './model/summary.js';
export {
  type Activation,
  type ActivationName,
  activationNames,
  activations,
  getActivation,
} from './nn/activations.js';
export { normalizeIdentifier } from './nn/identifiers.js';
export {
  computeFans,
  type Distribution,
  type FanMode,
  getInitializer,
  type Initializer,
  type InitializerName,
  initializers,
  type SeedOptions,
  type VarianceScalingOptions,
} from './nn/initializers.js';
export {
  type ActivationArgs,
  ActivationLayer,
  BatchNormalization,
  type BatchNormalizationArgs,
  type CallArgs,
  type ConfigValue,
  Dense,
  type DenseArgs,
  Dropout,
  type DropoutArgs,
  Flatten,
  Layer,
  type LayerArgs,
  layerFromConfig,
  layers,
  registerLayerClass,
  type SerializedObject,
  type Shape,
} from './nn/layers/index.js';
export {
  type CrossentropyOptions,
  getLoss,
  type HuberOptions,
  type Loss,
  losses,
  type OutputShape,
  reduceLoss,
} from './nn/losses.js';
export {
  type AucOptions,
  type BinaryAccuracyOptions,
  getMetric,
  type Metric,
  type MetricOptions,
  metrics,
  type ThresholdOptions,
} from './nn/metrics.js';
export { getRegularizer, type Regularizer, regularizers } from './nn/regularizers.js';
export * from './ops/index.js';
export {
  type AdagradOptions,
  type AdamaxOptions,
  type AdamOptions,
  type AdamWOptions,
  BaseOptimizer,
  type CosineDecayOptions,
  type ExponentialDecayOptions,
  getOptimizer,
  type LearningRate,
  type LearningRateSchedule,
  type Optimizer,
  type OptimizerOptions,
  optimizers,
  type PiecewiseConstantOptions,
  type RMSpropOptions,
  type SGDOptions,
  type StepDecayOptions,
  schedules,
} from './optim/index.js';
export {
  eye,
  fill,
  linspace,
  ones,
  onesLike,
  randomNormal,
  randomUniform,
  range,
  scalar,
  type TensorInput,
  tensor,
  truncatedNormal,
  zeros,
  zerosLike,
} from './tensor/create.js';
export { getRandom, Random, setSeed, withRandom } from './tensor/random.js';
export { type GradNode, type NestedArray, Tensor, Variable } from './tensor/tensor.js';
export {
  type BoundaryGrid,
  decisionBoundaryGrid,
  type PointClassifier,
  renderDecisionBoundaryText,
} from './viz/boundary.js';
export {
  type CurveSeries,
  type CurvesInput,
  type TrainingCurvesOptions,
  trainingCurvesSvg,
} from './viz/curves.js';
export { type GraphDotOptions, type GraphSvgOptions, graphToDot, graphToSvg } from './viz/graph.js';
