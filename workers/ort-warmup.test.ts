import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import { warmUpRuntime } from './ort-warmup.ts';

test('the warm-up model is a valid ONNX model that onnxruntime-web loads', async () => {
  ort.env.wasm.numThreads = 1;
  await warmUpRuntime(ort);
});
