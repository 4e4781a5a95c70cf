/**
 * A minimal ONNX writer for the inference benchmark: a stack of dense layers as Gemm (+ Relu | Softmax)
 * nodes with the weights as initializers, encoded by hand in protobuf (varints and length-delimited
 * fields) so that onnxruntime-node can load it from bytes without any extra dependency.
 *
 * Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto,
 * ValueInfoProto, TypeProto, TensorShapeProto). IR version 8, default-domain opset 13 (Softmax over the
 * last axis by default; Gemm's defaults alpha = beta = 1, no transposes, are what a Keras kernel
 * [in, units] needs).
 */

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const TENSOR_FLOAT = 1;
const IR_VERSION = 8;
const OPSET = 13;

const utf8 = new TextEncoder();

/** A non-negative integer (below 2^53) as a protobuf varint. */
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Field `field` holding an integer (int32, int64, enum). */
function intField(field: number, n: number): Uint8Array {
  return Uint8Array.from([...varint((field << 3) | WIRE_VARINT), ...varint(n)]);
}

/** Field `field` holding bytes: a nested message, a string or raw data. */
function bytesField(field: number, bytes: Uint8Array): Uint8Array {
  return concat([Uint8Array.from([...varint((field << 3) | WIRE_BYTES), ...varint(bytes.length)]), bytes]);
}

function stringField(field: number, s: string): Uint8Array {
  return bytesField(field, utf8.encode(s));
}

/** TensorProto: dims (1), data_type (2), name (8), raw_data (9, little-endian float32). */
function tensorProto(name: string, dims: readonly number[], data: Float32Array): Uint8Array {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return concat([
    ...dims.map((d) => intField(1, d)),
    intField(2, TENSOR_FLOAT),
    stringField(8, name),
    bytesField(9, raw),
  ]);
}

/** ValueInfoProto of a float tensor; a string dimension is symbolic (the batch). */
function valueInfo(name: string, dims: readonly (number | string)[]): Uint8Array {
  // TensorShapeProto.Dimension: dim_value (1) or dim_param (2).
  const shape = concat(
    dims.map((d) => bytesField(1, typeof d === 'string' ? stringField(2, d) : intField(1, d))),
  );
  // TypeProto.Tensor: elem_type (1), shape (2); TypeProto: tensor_type (1).
  const type = bytesField(1, concat([intField(1, TENSOR_FLOAT), bytesField(2, shape)]));
  return concat([stringField(1, name), bytesField(2, type)]);
}

/** NodeProto: input (1), output (2), name (3), op_type (4). */
function node(opType: string, inputs: readonly string[], output: string): Uint8Array {
  return concat([
    ...inputs.map((i) => stringField(1, i)),
    stringField(2, output),
    stringField(3, output),
    stringField(4, opType),
  ]);
}

/** One dense layer: kernel [inputs, units] row-major (Keras layout), bias [units], activation. */
export interface OnnxDense {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  activation: 'relu' | 'softmax' | 'linear';
}

/**
 * The ONNX model bytes of a dense stack: input 'x' [N, inputs], output 'y' [N, units of the last layer].
 * @example
 * const session = await ort.InferenceSession.create(denseStackToOnnx(layers));
 */
export function denseStackToOnnx(layers: readonly OnnxDense[]): Uint8Array {
  const nodes: Uint8Array[] = [];
  const initializers: Uint8Array[] = [];
  let current = 'x';
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    const z = layer.activation === 'linear' && last ? 'y' : `dense${i}_z`;
    initializers.push(tensorProto(`dense${i}_kernel`, [layer.inputs, layer.units], layer.kernel));
    initializers.push(tensorProto(`dense${i}_bias`, [layer.units], layer.bias));
    nodes.push(node('Gemm', [current, `dense${i}_kernel`, `dense${i}_bias`], z));
    current = z;
    if (layer.activation !== 'linear') {
      const a = last ? 'y' : `dense${i}_a`;
      nodes.push(node(layer.activation === 'relu' ? 'Relu' : 'Softmax', [current], a));
      current = a;
    }
  });
  const first = layers[0];
  const out = layers[layers.length - 1];
  // GraphProto: node (1), name (2), initializer (5), input (11), output (12).
  const graph = concat([
    ...nodes.map((n) => bytesField(1, n)),
    stringField(2, 'dense_stack'),
    ...initializers.map((t) => bytesField(5, t)),
    bytesField(11, valueInfo('x', ['N', first.inputs])),
    bytesField(12, valueInfo('y', ['N', out.units])),
  ]);
  // ModelProto: ir_version (1), producer_name (2), graph (7), opset_import (8: domain 1, version 2).
  return concat([
    intField(1, IR_VERSION),
    stringField(2, 'axon-bench'),
    bytesField(7, graph),
    bytesField(8, concat([stringField(1, ''), intField(2, OPSET)])),
  ]);
}
