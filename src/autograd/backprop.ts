import { kernels } from '../backend/registry.js';
import { allocData } from '../tensor/precision.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

let recording = true;

/**
 * Whether ops currently record their graph (false inside `noGrad`).
 * @example ax.noGrad(() => ax.isRecording()) // false
 */
export function isRecording(): boolean {
  return recording;
}

/**
 * Runs `f` without recording gradients: results have no graph, which saves memory and time.
 * @example
 * const y = ax.noGrad(() => model.predict(x));
 */
export function noGrad<T>(f: () => T): T {
  const previous = recording;
  recording = false;
  try {
    return f();
  } finally {
    recording = previous;
  }
}

/**
 * Every tensor reachable from `root` through recorded ops, inputs before the tensors computed from them.
 * Iterative, so a graph of any depth is walked without overflowing the call stack.
 * @example ax.topologicalOrder(loss).map((t) => t.node?.op ?? t.name)
 */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: Array<{ t: Tensor; next: number }> = [{ t: root, next: 0 }];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.t.node?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++];
      if (!visited.has(child)) {
        visited.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}

/**
 * The chain rule over the recorded graph: starting from ∂root/∂root = `dy`, each op's backward rule
 * turns the gradient of its output into gradients of its inputs, and gradients reaching a tensor by
 * several paths are summed. Returns ∂root/∂t for every tensor t that requires gradients
 * (`keepAll`) or only for the leaves (tensors with no recorded op).
 * @example
 * const grads = ax.backpropagate(loss, ax.scalar(1), false);
 * grads.get(w); // ∂loss/∂w
 */
export function backpropagate(root: Tensor, dy: Tensor, keepAll: boolean): Map<Tensor, Tensor> {
  const grads = new Map<Tensor, Tensor>();
  if (!root.requiresGrad) return grads;
  grads.set(root, dy);
  const order = topologicalOrder(root);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const g = grads.get(t);
      const node = t.node;
      if (!g || !node) continue;
      const inputGrads = node.backward(g, t);
      node.inputs.forEach((input, j) => {
        const gi = inputGrads[j];
        if (!input.requiresGrad || !gi) return;
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new Error(
            `internal error: backward of '${node.op}' gave a gradient of shape ${formatShape(gi.shape)} for an input of shape ${formatShape(input.shape)}`,
          );
        }
        const previous = grads.get(input);
        grads.set(input, previous ? sum(previous, gi) : gi);
      });
      if (!keepAll) grads.delete(t);
    }
  });
  return grads;
}

function sum(a: Tensor, b: Tensor): Tensor {
  const out = allocData(a.size);
  kernels().binary('add', a.values, a.shape, b.values, b.shape, out, a.shape);
  return new Tensor(out, a.shape);
}
