import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import { DataType, GraphBuilder, decodeModel } from './onnx-builder.ts';

ort.env.wasm.numThreads = 1;

test('a built graph runs in onnxruntime-web with a dynamic batch dimension', async () => {
  const g = new GraphBuilder('tiny');
  const x = g.input('x', DataType.FLOAT, ['batch', 3]);
  const w = g.initializer('w', DataType.FLOAT, [3, 2], new Float32Array([1, 0, 0, 1, 1, 1]));
  const b = g.constFloat('b', [2], [0.5, -10]);
  const y = g.op('Relu', [g.op('Add', [g.op('MatMul', [x, w]), b])], {}, 'y');
  const ln = g.op('LayerNormalization', [y, g.constFloat('g', [2], [1, 1]), g.constFloat('beta', [2], [0, 0])],
    { axis: -1, epsilon: { float: 1 } }, 'ln');
  g.output(y, DataType.FLOAT, ['batch', 2]);
  g.output(ln, DataType.FLOAT, ['batch', 2]);
  const bytes = g.toModel();

  const model = decodeModel(bytes);
  assert.equal(Number(model.irVersion), 8);
  assert.equal(Number(model.opsetImport[0]!.version), 17);

  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([1, 2, 3, -1, -1, 0]), [2, 3]) });
  // row 0: [1+3, 2+3] + [0.5, -10] = [4.5, -5] -> relu [4.5, 0]; row 1: [-1, -1] + b -> [0, 0]
  assert.deepEqual([...(out['y']!.data as Float32Array)], [4.5, 0, 0, 0]);
  // epsilon 1 (a float attribute with an integral value): (4.5 - 2.25) / sqrt(2.25^2 + 1)
  const expected = 2.25 / Math.sqrt(2.25 ** 2 + 1);
  const lnOut = out['ln']!.data as Float32Array;
  assert.ok(Math.abs(lnOut[0]! - expected) < 1e-5, `ln ${lnOut[0]}`);
  await session.release();
});

test('int8 initializers and multi-output ops round-trip', async () => {
  const g = new GraphBuilder('q');
  const x = g.input('x', DataType.FLOAT, [1, 2]);
  const w = g.initializer('wq', DataType.INT8, [2, 2], new Int8Array([1, -2, 3, 127]));
  const [xq, xs, xz] = g.opN('DynamicQuantizeLinear', [x], 3);
  const acc = g.op('MatMulInteger', [xq!, w, xz!]);
  g.output(g.op('Mul', [g.op('Cast', [acc], { to: DataType.FLOAT }), xs!], {}, 'y'), DataType.FLOAT, [1, 2]);
  const session = await ort.InferenceSession.create(g.toModel());
  const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([0, 2.55]), [1, 2]) });
  const y = out['y']!.data as Float32Array;
  // x @ w = [0*1 + 2.55*3, 0*-2 + 2.55*127] (x quantized exactly: scale 0.01, zero point 0)
  assert.ok(Math.abs(y[0]! - 7.65) < 1e-4 && Math.abs(y[1]! - 323.85) < 1e-3, `y ${[...y]}`);
  await session.release();
});

test('value names are unique', () => {
  const g = new GraphBuilder('dup');
  g.input('x', DataType.FLOAT, [1]);
  assert.throws(() => g.initializer('x', DataType.FLOAT, [1], new Float32Array(1)), /duplicate value name x/);
  assert.throws(() => g.initializer('w', DataType.FLOAT, [2], new Float32Array(1)), /needs 2 values \(got 1\)/);
});
