/**
 * The `axon` command line (commander): `runCli(argv, io)` parses the arguments, runs one command and
 * resolves to the exit code — 0 ok, 1 user error (one line on stderr), 2 internal error — without
 * touching `process`, so tests run it in-process with their own writers.
 */
import { Command, CommanderError, Option } from 'commander';
import { AXON_VERSION } from '../io/save.js';
import { datasets } from './datasets.js';
import { evaluate } from './evaluate.js';
import { type CliIO, oneLine, UserError } from './io.js';
import * as parse from './options.js';
import { predict } from './predict.js';
import { summary } from './summary.js';
import { train } from './train.js';

const TRAIN_EXAMPLES = `
Data:
  --data takes a CSV file (header detected; the target is the last column unless --target names it),
  a folder of IDX files (MNIST layout: trains on train-*, evaluate uses t10k-*), or builtin:NAME
  (see 'axon datasets'). With --loss auto, classes get a softmax and sparse categorical cross-entropy
  (two classes: one sigmoid unit and binary cross-entropy), real targets a linear unit and MSE.

Output (in --out): model.json + weights.bin (TF.js Layers format, with the scaler, class names and
CSV schema in its metadata) and training.svg (loss and accuracy curves). Training happens in memory
and the save is atomic: a failed run leaves a model already in --out untouched.

Examples:
  $ axon train --data builtin:spiral --layers 8,8 --activation tanh --epochs 200 --out models/spiral
  $ axon train --data iris.csv --target species --test-split 0.2 --seed 1 --epochs 100 --out models/iris
  $ axon train --data ../shared/data/mnist --layers 256,128 --epochs 15 --batch-size 128 --out models/mnist
  $ axon train --data builtin:wine-red --loss mse --validation-split 0.2 --json --out models/wine
`;

const EVALUATE_EXAMPLES = `
The data is encoded as in training (CSV schema, scaler, class names stored in the model). When --data
is the model's training data and training held out a test split, the held-out rows are evaluated.

Examples:
  $ axon evaluate --model models/iris --data iris.csv
  $ axon evaluate --model models/mnist --data ../shared/data/mnist        # the t10k files
  $ axon evaluate --model models/spiral --data builtin:spiral --seed 7 --json
`;

const PREDICT_EXAMPLES = `
Prints CSV: for classifiers the predicted class name, its probability and one p(class) column per
class; for regression the predicted value. A target column in the file, if any, is ignored.

Examples:
  $ axon predict --model models/iris --data new-flowers.csv
  $ axon predict --model models/iris --data new-flowers.csv --out predictions.csv
  $ axon predict --model models/wine --data wines.csv --json
`;

/** Options every data-reading command shares. */
function dataOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'folder of the real built-in sets (default $AXON_DATA_DIR or ../shared/data)')
    .option('--samples <n>', 'rows drawn from a synthetic builtin set (default 500)', parse.positiveInteger)
    .option('--noise <amount>', 'noise of a synthetic builtin set (≥ 0; default 0)', parse.nonNegativeNumber)
    .option('--classes <k>', 'classes of builtin:blobs (default 3)', parse.positiveInteger);
}

/**
 * The commander program; `done(code)` receives each command's exit code.
 * @example const program = buildProgram(io, (code) => { exitCode = code; });
 */
export function buildProgram(io: CliIO, done: (code: number) => void): Command {
  const program = new Command('axon')
    .description('Train, evaluate and use feed-forward neural networks on CSV, IDX and built-in data.')
    .version(AXON_VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(`${oneLine(text)}\n`),
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      "\nExit codes: 0 ok, 1 user error (one line on stderr), 2 internal error.\nRun 'axon <command> --help' for each command's options and examples.",
    );

  dataOptions(
    program
      .command('train')
      .description('train a network on a CSV file, an IDX folder or a built-in set and save it')
      .requiredOption('--data <source>', 'CSV file, IDX folder or builtin:NAME')
      .requiredOption('--out <dir>', 'folder to save model.json, weights.bin and training.svg into')
      .option('--target <column>', 'CSV target column: a name or a 0-based index (default: the last column)')
      .addOption(new Option('--task <task>', 'CSV target kind').choices(parse.TASK_NAMES).default('auto'))
      .addOption(
        new Option(
          '--missing <policy>',
          'CSV cells that are empty or not numbers: an error, drop the row, impute the column mean or 0',
        )
          .choices(['error', 'drop', 'mean', 'zero'])
          .default('error'),
      )
      .option(
        '--layers <sizes>',
        "hidden layer widths, comma-separated, or 'none'",
        parse.layerSizes,
        [64, 32],
      )
      .option(
        '--activation <name>',
        'hidden-layer activation (relu, tanh, sigmoid, elu, gelu, ...)',
        parse.activation,
        'relu',
      )
      .option('--loss <name>', `loss: ${parse.LOSS_NAMES.join(', ')}`, parse.loss, 'auto')
      .option('--optimizer <name>', `optimizer: ${parse.OPTIMIZER_NAMES.join(', ')}`, parse.optimizer, 'adam')
      .option(
        '--lr <rate>',
        "learning rate (default: the optimizer's Keras default, 0.001 for adam)",
        parse.positiveNumber,
      )
      .option('--epochs <n>', 'passes over the training data', parse.positiveInteger, 20)
      .option('--batch-size <n>', 'rows per gradient step', parse.positiveInteger, 32)
      .option(
        '--validation-split <fraction>',
        'last fraction of the (shuffled) training rows used for validation',
        parse.fraction,
        0,
      )
      .option(
        '--test-split <fraction>',
        'fraction held out as a seeded, stratified test set',
        parse.fraction,
        0,
      )
      .option(
        '--seed <n>',
        'seed of the split, shuffling and initial weights (default: random, printed)',
        parse.seed,
      )
      .option(
        '--scale <kind>',
        `feature scaling: ${parse.SCALE_NAMES.join(', ')} (auto: standard for tables, none for images)`,
        parse.scale,
        'auto',
      )
      .option('--json', 'print the final metrics as one JSON object (no progress output)', false),
  )
    .addHelpText('after', TRAIN_EXAMPLES)
    .action(async (options) => done(await train(io, options)));

  dataOptions(
    program
      .command('evaluate')
      .description("a saved model's loss and metrics on data, with a confusion matrix for classifiers")
      .requiredOption('--model <dir>', "folder of a saved model ('axon train --out')")
      .requiredOption('--data <source>', 'CSV file, IDX folder (t10k files) or builtin:NAME')
      .option('--target <column>', 'CSV target column, for models trained without a CSV schema')
      .option(
        '--test-split <fraction>',
        'evaluate only the test part of this seeded split (0: all rows)',
        parse.fraction,
      )
      .option(
        '--seed <n>',
        "seed of the split or of a synthetic set (default: the model's training seed)",
        parse.seed,
      )
      .option('--json', 'print one JSON object of metrics: {"loss": ..., "accuracy": ...}', false),
  )
    .addHelpText('after', EVALUATE_EXAMPLES)
    .action(async (options) => done(await evaluate(io, options)));

  dataOptions(
    program
      .command('predict')
      .description('predictions of a saved model for new rows (class names with probabilities)')
      .requiredOption('--model <dir>', "folder of a saved model ('axon train --out')")
      .requiredOption('--data <source>', 'CSV file of inputs (also an IDX folder or builtin:NAME)')
      .option('--out <file>', 'write the predictions to this CSV file instead of stdout')
      .option('--target <column>', 'a column to ignore (the target), for models trained without a CSV schema')
      .option('--seed <n>', 'seed of a synthetic builtin set', parse.seed)
      .option('--json', 'print {"predictions": [...], "probabilities": [[...]], "classNames": [...]}', false),
  )
    .addHelpText('after', PREDICT_EXAMPLES)
    .action(async (options) => done(await predict(io, options)));

  program
    .command('summary')
    .description('the layers, parameters, inputs, classes and training record of a saved model')
    .requiredOption('--model <dir>', "folder of a saved model ('axon train --out')")
    .option('--json', 'print the summary as one JSON object', false)
    .addHelpText('after', '\nExample:\n  $ axon summary --model models/iris\n')
    .action(async (options) => done(await summary(io, options)));

  program
    .command('datasets')
    .description('list the built-in data sets (builtin:NAME) with descriptions')
    .option('--data-dir <dir>', 'folder of the real sets (default $AXON_DATA_DIR or ../shared/data)')
    .option('--json', 'print the list as JSON', false)
    .addHelpText(
      'after',
      '\nExample:\n  $ axon datasets\n  $ axon train --data builtin:moons --epochs 50 --out models/moons\n',
    )
    .action(async (options) => done(await datasets(io, options)));

  return program;
}

/**
 * Runs the CLI on `argv` (without 'node' and the script); resolves to the exit code.
 * @example
 * const code = await runCli(['train', '--data', 'builtin:xor', '--out', 'models/xor'], processIO());
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    // Commander has printed its own message (or the help / version) already.
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof UserError) {
      io.stderr(`error: ${oneLine(error.message)}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(
      `internal error: ${oneLine(message)} — this is a bug in axon, please report it with the command you ran${io.env.AXON_DEBUG ? '' : ' (set AXON_DEBUG=1 for the stack trace)'}\n`,
    );
    if (io.env.AXON_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 2;
  }
}
